-- What leaders watch across the city: the units that lag most on a day, by coverage (as the round counts it, or
-- expiring after N days: see coverage_by_unit), its change since the day before, overdue leads and understaffed
-- checkpoints. From the per-grid counters (20261129001000): the cost follows units × days, not households.

-- The units at one level under `p_unit` that lag most on a day: lowest coverage first (then the largest drop
-- since the day before), with overdue leads and understaffed checkpoints (at 10:00 that day). Units with
-- fewer than 3 households are left out for aggregate-only viewers. One JSON array.
create function public.lagging_units(
	p_unit text, p_as_of date, p_level text default 'community', p_valid_days int default null, p_limit int default 20
) returns jsonb
-- Custom plans: after five calls the cached generic plan of its ranking query took 18–24 s for the city's
-- communities on the embedded stack (a custom plan: under a second), holding the one database session meanwhile.
language plpgsql stable security definer set search_path = '' set plan_cache_mode = force_custom_plan as $$
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
	perform private.check_day(p_unit, p_as_of);
	return (
		with hh as (
			select left(g.grid_code, v_len) as code, sum(g.households)::bigint as households
			from private.grid_households g
			where g.grid_code >= p_unit and g.grid_code < p_unit || ':'
			group by 1
		), today as (
			select * from private.covered_by_child(p_unit, v_len, p_as_of, null, p_valid_days)
		), prev as (
			select * from private.covered_by_child(p_unit, v_len, p_as_of - 1, null, p_valid_days)
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
