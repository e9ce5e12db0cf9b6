-- Data behind the map's layers, one function per layer, each scoped like coverage_by_unit and shaped for the
-- role: community and street staff (personal staff) get points and names where the layer has them; leaders get
-- counts per place, with counts of 1–2 withheld. Times are "as of" a day (end of that day) or a moment.
-- Each returns one JSON array of rows: a set of rows would be cut at PostgREST's row cap (max-rows, 1000 on
-- Supabase), and a city has more checkpoints than that.

create index if not exists households_building_id_idx on public.households (building_id);

create function private.require_scope(p_unit text) returns void
language plpgsql stable security definer set search_path = '' as $$
begin
	if p_unit is null or p_unit !~ '^[0-9]{4,15}$' or not coalesce(private.in_scope(p_unit), false) then
		raise exception '无权查看该单位：%', coalesce(p_unit, '(空)') using errcode = 'insufficient_privilege';
	end if;
end $$;

-- Buildings with their households' screening status in the round as of a day. A household is flagged (any
-- screening flagged it), door or phone (how it was last reached), unreachable (tried, never reached) or
-- not_started; a building takes flagged if any household is, else its households' most common status (ties go
-- to the status that needs work first: not_started, then unreachable). Street level and below only.
create function public.map_buildings(p_unit text, p_as_of date, p_round_id bigint default null)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
	v_round bigint := coalesce(p_round_id, private.round_on(p_unit, p_as_of));
	v_until timestamptz := private.end_of_day(p_as_of);
	v_suppress boolean := not coalesce(private.is_personal_staff(), false);
begin
	perform private.require_scope(p_unit);
	perform private.check_day(p_unit, p_as_of);
	if length(p_unit) < 9 then
		raise exception '楼栋只在街道及以下显示' using errcode = 'invalid_parameter_value', hint = 'unit_too_large';
	end if;
	return (select coalesce(jsonb_agg(t order by t.id), '[]'::jsonb) from (
	with hs as (
		select h.building_id, st.status, st.last_at, st.last_method
		from public.households h
		cross join lateral (
			select case
					when bool_or(s.outcome = 'flagged') then 'flagged'
					when bool_or(s.outcome <> 'unreachable') then
						(array_agg(s.method order by s.screened_at desc) filter (where s.outcome <> 'unreachable'))[1]
					when count(*) > 0 then 'unreachable'
					else 'not_started' end as status,
				max(s.screened_at) as last_at,
				(array_agg(s.method order by s.screened_at desc))[1] as last_method
			from public.screenings s
			where s.household_id = h.id and s.round_id = v_round and s.screened_at < v_until
		) st
		where h.grid_code >= p_unit and h.grid_code < p_unit || ':'
	), per_building as (
		select hs.building_id,
			count(*)::int as households,
			count(*) filter (where hs.status in ('door', 'phone', 'flagged'))::int as reached,
			count(*) filter (where hs.status = 'door')::int as door,
			count(*) filter (where hs.status = 'phone')::int as phone,
			count(*) filter (where hs.status = 'unreachable')::int as unreachable,
			count(*) filter (where hs.status = 'flagged')::int as flagged,
			count(*) filter (where hs.status = 'not_started')::int as not_started,
			max(hs.last_at) as last_at,
			(array_agg(hs.last_method order by hs.last_at desc nulls last))[1] as last_method
		from hs group by hs.building_id
	)
	select b.id, b.name, b.grid_code::text as grid_code, b.lon, b.lat,
		(case when hide then null else p.households end) as households,
		(case when hide then null else p.reached end) as reached,
		(case when hide then null else p.door end) as door,
		(case when hide then null else p.phone end) as phone,
		(case when hide then null else p.unreachable end) as unreachable,
		(case when hide then null else p.flagged end) as flagged,
		(case when hide then null else p.not_started end) as not_started,
		case when hide then null
			when coalesce(p.households, 0) = 0 then 'no_households'
			when p.flagged > 0 then 'flagged'
			else (array['not_started', 'unreachable', 'door', 'phone'])[
				(select o.i from unnest(array[p.not_started, p.unreachable, p.door, p.phone]) with ordinality as o(n, i)
				order by o.n desc, o.i limit 1)]
		end as status,
		case when hide then null else p.last_at end as last_screened_at,
		case when hide then null else p.last_method end as last_method,
		hide as suppressed
	from public.buildings b
	left join per_building p on p.building_id = b.id
	cross join lateral (select v_suppress and coalesce(p.households, 0) between 1 and 2 as hide) x
	where b.grid_code >= p_unit and b.grid_code < p_unit || ':'
	) t);
end $$;

-- Checkpoints with staff on duty at a moment against the staff required.
create function public.map_checkpoints(p_unit text, p_at timestamptz)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
	perform private.require_scope(p_unit);
	perform private.check_day(p_unit, private.shanghai_day(p_at));
	return (select coalesce(jsonb_agg(t order by t.id), '[]'::jsonb) from (
	select c.id, c.name, c.kind, c.status, c.community_code::text as community_code, c.lon, c.lat, c.staff_required,
		(select count(*)::int from public.shifts s
			where s.checkpoint_id = c.id and s.status <> 'cancelled' and s.period @> p_at) as staffed,
		c.open_from, c.open_until
	from public.checkpoints c
	where c.community_code >= p_unit and c.community_code < p_unit || ':'
	) t);
end $$;

-- Volunteers on shift at a moment, one point per place (a checkpoint, or a grid's centre for grid duty) with
-- how many stand there; names (for personal staff only) so a click can say who.
create function public.map_on_duty(p_unit text, p_at timestamptz)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
	v_personal boolean := coalesce(private.is_personal_staff(), false);
begin
	perform private.require_scope(p_unit);
	perform private.check_day(p_unit, private.shanghai_day(p_at));
	return (select coalesce(jsonb_agg(t order by t.place), '[]'::jsonb) from (
	select coalesce(c.name, u.name) as place, coalesce(c.lon, u.center_lon) as lon, coalesce(c.lat, u.center_lat) as lat,
		count(distinct s.volunteer_id)::int as volunteers,
		case when v_personal then array_agg(distinct v.name order by v.name) end as names
	from public.shifts s
	join public.volunteers v on v.id = s.volunteer_id
	left join public.checkpoints c on c.id = s.checkpoint_id
	left join public.units u on u.code = s.grid_code
	where s.community_code >= p_unit and s.community_code < p_unit || ':'
		and s.status <> 'cancelled' and s.period @> p_at
	group by s.checkpoint_id, s.grid_code, c.name, u.name, c.lon, u.center_lon, c.lat, u.center_lat
	) t);
end $$;

-- Leads with their status as of a day. Personal staff get each lead (title, kind, place, deadline); leaders
-- get counts by status per grid, placed at the grid's centre, never a lead itself.
create function public.map_leads(p_unit text, p_as_of date)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
	v_until timestamptz := private.end_of_day(p_as_of);
begin
	perform private.require_scope(p_unit);
	perform private.check_day(p_unit, p_as_of);
	if coalesce(private.is_personal_staff(), false) then
		return (select coalesce(jsonb_agg(t order by t.id), '[]'::jsonb) from (
		select l.id, l.grid_code::text as grid_code, l.title, l.kind, a.status, a.overdue, l.deadline, l.reported_at,
			coalesce(l.lon, u.center_lon) as lon, coalesce(l.lat, u.center_lat) as lat, 1 as leads
		from private.leads_as_of(p_unit, v_until) a
		join public.leads l on l.id = a.lead_id
		join public.units u on u.code = l.grid_code
		) t);
	else
		return (select coalesce(jsonb_agg(t order by t.grid_code, t.status), '[]'::jsonb) from (
		select null::bigint as id, a.grid_code, null::text as title, null::text as kind, a.status,
			bool_or(a.overdue) as overdue, null::timestamptz as deadline, null::timestamptz as reported_at,
			u.center_lon as lon, u.center_lat as lat, count(*)::int as leads
		from private.leads_as_of(p_unit, v_until) a
		join public.units u on u.code = a.grid_code
		group by a.grid_code, a.status, u.center_lon, u.center_lat
		) t);
	end if;
end $$;

-- Residents in special groups, counted per grid and group (never individuals here); counts of 1–2 withheld
-- from aggregate-only viewers. Community level and below, or street level for street staff.
create function public.map_special_groups(p_unit text)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
	v_suppress boolean := not coalesce(private.is_personal_staff(), false);
begin
	perform private.require_scope(p_unit);
	return (select coalesce(jsonb_agg(t order by t.grid_code), '[]'::jsonb) from (
	with per_group as (
		select r.grid_code, g.grp, count(*)::int as n
		from public.residents r, unnest(r.special_groups) as g(grp)
		where r.grid_code >= p_unit and r.grid_code < p_unit || ':'
		group by 1, 2
	), per_grid as (
		select r.grid_code, count(*)::int as total
		from public.residents r
		where r.grid_code >= p_unit and r.grid_code < p_unit || ':'
		group by 1
	)
	select u.code::text as grid_code, u.name, u.center_lon as lon, u.center_lat as lat,
		private.suppress_small(g.total, v_suppress)::int as total,
		(select jsonb_object_agg(pg.grp, private.suppress_small(pg.n, v_suppress))
			from per_group pg where pg.grid_code = u.code) as groups,
		v_suppress and (g.total between 1 and 2 or exists (
			select 1 from per_group pg where pg.grid_code = u.code and pg.n between 1 and 2)) as suppressed
	from per_grid g
	join public.units u on u.code = g.grid_code
	) t);
end $$;

-- Where screenings happened in the `p_days` days up to a day: per building below street level, per grid above
-- (so the city's heatmap costs what its grids cost, whatever the number of households).
create function public.map_screening_heat(p_unit text, p_as_of date, p_days int default 7)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
	v_until timestamptz := private.end_of_day(p_as_of);
	v_suppress boolean := not coalesce(private.is_personal_staff(), false);
begin
	perform private.require_scope(p_unit);
	perform private.check_day(p_unit, p_as_of);
	if p_days is null or p_days not between 1 and 60 then
		raise exception '天数须在 1 到 60 之间' using errcode = 'invalid_parameter_value';
	end if;
	if length(p_unit) >= 12 then
		return (select coalesce(jsonb_agg(t), '[]'::jsonb) from (
		select b.lon, b.lat, count(*)::int as screenings
		from public.screenings s
		join public.households h on h.id = s.household_id
		join public.buildings b on b.id = h.building_id
		where s.grid_code >= p_unit and s.grid_code < p_unit || ':'
			and s.screened_at < v_until and s.screened_at >= v_until - make_interval(days => p_days)
		group by b.id, b.lon, b.lat
		having not v_suppress or count(*) >= 3
		) t);
	else
		return (select coalesce(jsonb_agg(t), '[]'::jsonb) from (
		select u.center_lon as lon, u.center_lat as lat, sum(d.screenings)::int as screenings
		from private.grid_screenings_daily d
		join public.units u on u.code = d.grid_code
		where d.grid_code >= p_unit and d.grid_code < p_unit || ':'
			and d.day <= p_as_of and d.day > p_as_of - p_days
		group by u.code, u.center_lon, u.center_lat
		having sum(d.screenings) > 0 and (not v_suppress or sum(d.screenings) >= 3)
		) t);
	end if;
end $$;

revoke execute on function public.map_buildings(text, date, bigint), public.map_checkpoints(text, timestamptz),
	public.map_on_duty(text, timestamptz), public.map_leads(text, date), public.map_special_groups(text),
	public.map_screening_heat(text, date, int) from public, anon;
grant execute on function public.map_buildings(text, date, bigint), public.map_checkpoints(text, timestamptz),
	public.map_on_duty(text, timestamptz), public.map_leads(text, date), public.map_special_groups(text),
	public.map_screening_heat(text, date, int) to authenticated;
