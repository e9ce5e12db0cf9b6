-- What leaders watch across the city: coverage that expires (a household counts only if screened within the last
-- N days, so a unit that stops re-screening loses coverage day by day), the change since the day before, and the
-- units that lag most. All from the per-grid counters (20261129001000): the cost follows units × days, not
-- households.

-- Households covered in a unit's grids on a day: reached in the round (p_valid_days null), or screened in any
-- round within the last p_valid_days days (a span whose day lies in (D - N, D] and whose next screening is
-- after D: each household counted once, by its latest screening).
create function private.covered_by_child(p_unit text, p_child_len int, p_day date, p_round bigint, p_valid_days int)
returns table (child_code text, covered bigint)
language sql stable security definer set search_path = '' as $$
	select left(f.grid_code, p_child_len), sum(f.households)::bigint
	from private.grid_first_screenings f
	where p_valid_days is null and f.grid_code >= p_unit and f.grid_code < p_unit || ':'
		and f.round_id = p_round and f.day <= p_day
	group by 1
	union all
	select left(s.grid_code, p_child_len), sum(s.households)::bigint
	from private.grid_screening_spans s
	where p_valid_days is not null and s.grid_code >= p_unit and s.grid_code < p_unit || ':'
		and s.day > p_day - p_valid_days and s.day <= p_day and s.next_day > p_day
	group by 1
$$;

-- Households whose coverage expired on the day: covered the day before, not any more (their latest screening
-- fell out of the N-day window and none came that day).
create function private.lost_by_child(p_unit text, p_child_len int, p_day date, p_valid_days int)
returns table (child_code text, lost bigint)
language sql stable security definer set search_path = '' as $$
	select left(s.grid_code, p_child_len), sum(s.households)::bigint
	from private.grid_screening_spans s
	where s.grid_code >= p_unit and s.grid_code < p_unit || ':'
		and s.day = p_day - p_valid_days and s.next_day > p_day
	group by 1
$$;

drop function public.coverage_by_unit(text, date, bigint);

-- One row for `p_unit` and one per child: households, screened (covered), remaining, coverage; the same
-- "covered" the day before and, when coverage expires (p_valid_days), the households lost since yesterday.
-- Counts of 1–2 withheld from aggregate-only viewers.
create function public.coverage_by_unit(
	p_unit text, p_as_of date default null, p_round_id bigint default null, p_valid_days int default null
)
returns table (
	code text, name text, level text, is_parent boolean,
	households bigint, screened bigint, remaining bigint, coverage numeric, suppressed boolean,
	round_id bigint, as_of date, screened_prev bigint, lost bigint, valid_days int
)
language plpgsql stable security definer set search_path = '' as $$
declare
	v_as_of date := coalesce(p_as_of, private.shanghai_day(now()));
	v_round bigint := coalesce(p_round_id, private.round_on(p_unit, coalesce(p_as_of, private.shanghai_day(now()))));
	v_child_len int := private.child_code_length(p_unit);
	v_suppress boolean := not coalesce(private.is_personal_staff(), false);
begin
	if p_unit is null or p_unit !~ '^[0-9]{4,15}$' or not coalesce(private.in_scope(p_unit), false) then
		raise exception '无权查看该单位：%', coalesce(p_unit, '(空)') using errcode = 'insufficient_privilege';
	end if;
	if p_valid_days is not null and p_valid_days not between 1 and 60 then
		raise exception '有效天数须在 1 到 60 之间' using errcode = 'invalid_parameter_value';
	end if;

	return query
	with hh as (
		select left(g.grid_code, v_child_len) as child_code, sum(g.households)::bigint as households
		from private.grid_households g
		where g.grid_code >= p_unit and g.grid_code < p_unit || ':'
		group by 1
	), sc as (
		select * from private.covered_by_child(p_unit, v_child_len, v_as_of, v_round, p_valid_days)
	), prev as (
		select * from private.covered_by_child(p_unit, v_child_len, v_as_of - 1, v_round, p_valid_days)
	), lost as (
		select * from private.lost_by_child(p_unit, v_child_len, v_as_of, p_valid_days) where p_valid_days is not null
	), counted as (
		select u.code, u.name, u.level, u.code = p_unit as is_parent,
			case when u.code = p_unit then (select coalesce(sum(hh.households), 0)::bigint from hh)
				else coalesce((select hh.households from hh where hh.child_code = u.code), 0) end as households,
			case when u.code = p_unit then (select coalesce(sum(sc.covered), 0)::bigint from sc)
				else coalesce((select sc.covered from sc where sc.child_code = u.code), 0) end as screened,
			case when u.code = p_unit then (select coalesce(sum(prev.covered), 0)::bigint from prev)
				else coalesce((select prev.covered from prev where prev.child_code = u.code), 0) end as screened_prev,
			case when p_valid_days is null then null
				when u.code = p_unit then (select coalesce(sum(lost.lost), 0)::bigint from lost)
				else coalesce((select lost.lost from lost where lost.child_code = u.code), 0) end as lost
		from public.units u
		where u.code = p_unit or u.parent_code = p_unit
	)
	select c.code::text, c.name, c.level, c.is_parent,
		private.suppress_small(c.households, v_suppress),
		private.suppress_small(c.screened, v_suppress),
		private.suppress_small(c.households - c.screened, v_suppress),
		case when c.households = 0 or (v_round is null and p_valid_days is null) then null
			when v_suppress and (c.households between 1 and 2 or c.screened between 1 and 2) then null
			else round(c.screened::numeric / c.households, 4) end,
		v_suppress and (c.households between 1 and 2 or c.screened between 1 and 2
			or c.households - c.screened between 1 and 2),
		v_round, v_as_of,
		private.suppress_small(c.screened_prev, v_suppress),
		private.suppress_small(c.lost, v_suppress),
		p_valid_days
	from counted c
	order by c.is_parent desc, c.code;
end $$;
revoke execute on function public.coverage_by_unit(text, date, bigint, int) from public, anon;
grant execute on function public.coverage_by_unit(text, date, bigint, int) to authenticated;

-- The units at one level under `p_unit` that lag most on a day: lowest coverage first (then the largest drop
-- since the day before), with overdue leads and understaffed checkpoints (at 10:00 that day). Units with
-- fewer than 3 households are left out for aggregate-only viewers. One JSON array.
create function public.lagging_units(
	p_unit text, p_as_of date, p_level text default 'community', p_valid_days int default null, p_limit int default 20
) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
	v_len int := case p_level when 'district' then 6 when 'street' then 9 when 'community' then 12 when 'grid' then 15 end;
	v_round bigint := private.round_on(p_unit, p_as_of);
	v_until timestamptz := private.end_of_day(p_as_of);
	v_at timestamptz := (p_as_of + time '10:00') at time zone 'Asia/Shanghai';
	v_suppress boolean := not coalesce(private.is_personal_staff(), false);
begin
	if p_unit is null or p_unit !~ '^[0-9]{4,15}$' or not coalesce(private.in_scope(p_unit), false) then
		raise exception '无权查看该单位：%', coalesce(p_unit, '(空)') using errcode = 'insufficient_privilege';
	end if;
	if v_len is null or v_len <= length(p_unit) then
		raise exception '排名层级须低于所选单位' using errcode = 'invalid_parameter_value';
	end if;
	if p_as_of is null or (p_valid_days is not null and p_valid_days not between 1 and 60)
		or p_limit is null or p_limit not between 1 and 500 then
		raise exception '参数无效' using errcode = 'invalid_parameter_value';
	end if;
	return (
		with hh as (
			select left(g.grid_code, v_len) as code, sum(g.households)::bigint as households
			from private.grid_households g
			where g.grid_code >= p_unit and g.grid_code < p_unit || ':'
			group by 1
		), today as (
			select * from private.covered_by_child(p_unit, v_len, p_as_of, v_round, p_valid_days)
		), prev as (
			select * from private.covered_by_child(p_unit, v_len, p_as_of - 1, v_round, p_valid_days)
		), overdue as (
			select left(l.grid_code, v_len) as code, count(*) filter (where l.overdue) as overdue
			from private.leads_as_of(p_unit, v_until) l
			group by 1
		), staff as (
			select left(c.community_code, v_len) as code, count(*) as understaffed
			from public.checkpoints c
			where v_len <= 12 and c.community_code >= p_unit and c.community_code < p_unit || ':' and c.status = 'active'
				and (select count(*) from public.shifts s
					where s.checkpoint_id = c.id and s.status <> 'cancelled' and s.period @> v_at) < c.staff_required
			group by 1
		), ranked as (
			select u.code, u.name, p.name as parent_name, hh.households,
				coalesce(t.covered, 0) as covered,
				round(coalesce(t.covered, 0)::numeric / hh.households, 4) as coverage,
				round((coalesce(t.covered, 0) - coalesce(y.covered, 0))::numeric / hh.households, 4) as change,
				coalesce(o.overdue, 0) as overdue_leads,
				coalesce(st.understaffed, 0) as understaffed_checkpoints
			from hh
			join public.units u on u.code = hh.code
			left join public.units p on p.code = u.parent_code
			left join today t on t.child_code = hh.code
			left join prev y on y.child_code = hh.code
			left join overdue o on o.code = hh.code
			left join staff st on st.code = hh.code
			where hh.households > 0 and not (v_suppress and hh.households < 3)
		)
		select coalesce(jsonb_agg(((to_jsonb(r) - 'covered') - 'n') || jsonb_build_object('rank', r.n) order by r.n), '[]'::jsonb)
		from (
			select ranked.*, row_number() over (order by coverage, change, overdue_leads desc, code) as n
			from ranked
		) r
		where r.n <= p_limit
	);
end $$;
revoke execute on function public.lagging_units(text, date, text, int, int) from public, anon;
grant execute on function public.lagging_units(text, date, text, int, int) to authenticated;
