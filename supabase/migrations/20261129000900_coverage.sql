-- Screening coverage by unit: the aggregate every role's map starts from. Leaders may not read households,
-- so this runs as definer, checks the caller's scope itself, and suppresses small cells for callers who are
-- not personal staff.

-- The end of a calendar day in China Standard Time: "as of 2020-02-01" means screened before this instant.
create function private.end_of_day(d date) returns timestamptz
language sql immutable set search_path = '' as $$
	select ((d + 1)::timestamp at time zone 'Asia/Shanghai')
$$;

-- Counts of 1 and 2 are withheld from aggregate-only viewers (a cell that small points at individuals);
-- 0 is shown, since it reveals nobody.
create function private.suppress_small(n bigint, suppress boolean) returns bigint
language sql immutable set search_path = '' as $$
	select case when suppress and n between 1 and 2 then null else n end
$$;

grant execute on all functions in schema private to authenticated, service_role;

-- One row for `p_unit` itself (is_parent) and one per child unit, with:
--   households: households in the unit; screened: of those, reached (not merely attempted) in the round by
--   the end of `p_as_of`;
--   remaining: households - screened; coverage: screened / households, NULL when there is no data.
-- The round defaults to the latest round covering p_unit that has started by p_as_of.
create function public.coverage_by_unit(p_unit text, p_as_of date default null, p_round_id bigint default null)
returns table (
	code text, name text, level text, is_parent boolean,
	households bigint, screened bigint, remaining bigint, coverage numeric, suppressed boolean,
	round_id bigint, as_of date
)
language plpgsql stable security definer set search_path = '' as $$
declare
	v_as_of date := coalesce(p_as_of, (now() at time zone 'Asia/Shanghai')::date);
	v_until timestamptz := private.end_of_day(coalesce(p_as_of, (now() at time zone 'Asia/Shanghai')::date));
	v_round bigint := p_round_id;
	v_child_len int;
	v_suppress boolean := not coalesce(private.is_personal_staff(), false);
begin
	if p_unit is null or p_unit !~ '^[0-9]{4,15}$' or not coalesce(private.in_scope(p_unit), false) then
		raise exception '无权查看该单位：%', coalesce(p_unit, '(空)') using errcode = 'insufficient_privilege';
	end if;
	if v_round is null then
		select r.id into v_round from public.screening_rounds r
		where left(p_unit, length(r.unit_code)) = r.unit_code and r.starts_on <= v_as_of
		order by r.starts_on desc, r.id desc limit 1;
	end if;
	v_child_len := case length(p_unit) when 4 then 6 when 6 then 9 when 9 then 12 when 12 then 15 else 15 end;

	return query
	with hh as (
		select left(h.grid_code, v_child_len) as child_code,
			count(*) as households,
			count(*) filter (where exists (
				select 1 from public.screenings s
				where s.household_id = h.id and s.round_id = v_round and s.screened_at < v_until
					and s.outcome <> 'unreachable'
			)) as screened
		from public.households h
		where h.grid_code >= p_unit and h.grid_code < p_unit || ':'
		group by 1
	), counted as (
		select u.code, u.name, u.level, u.code = p_unit as is_parent,
			case when u.code = p_unit then (select coalesce(sum(hh.households), 0)::bigint from hh)
				else coalesce(hh.households, 0) end as households,
			case when u.code = p_unit then (select coalesce(sum(hh.screened), 0)::bigint from hh)
				else coalesce(hh.screened, 0) end as screened
		from public.units u
		left join hh on hh.child_code = u.code
		where u.code = p_unit or u.parent_code = p_unit
	)
	select c.code::text, c.name, c.level, c.is_parent,
		private.suppress_small(c.households, v_suppress),
		private.suppress_small(c.screened, v_suppress),
		private.suppress_small(c.households - c.screened, v_suppress),
		case when c.households = 0 or v_round is null then null
			when v_suppress and (c.households between 1 and 2 or c.screened between 1 and 2) then null
			else round(c.screened::numeric / c.households, 4) end,
		v_suppress and (c.households between 1 and 2 or c.screened between 1 and 2
			or c.households - c.screened between 1 and 2),
		v_round, v_as_of
	from counted c
	order by c.is_parent desc, c.code;
end $$;
revoke execute on function public.coverage_by_unit(text, date, bigint) from public, anon;
grant execute on function public.coverage_by_unit(text, date, bigint) to authenticated;
