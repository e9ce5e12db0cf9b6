-- The leaders' screens (issue #6): the "three-social linkage" force of a unit (social organisations on the four
-- incubation platforms, their teams, volunteers and the hours they served) and the day's activity for the daily
-- briefing (leads opened and closed, volunteers deployed). Both are computed from the records on every call, never
-- from stored totals, and give counts only: no person's name, phone or ID number leaves them.
--
-- What "in the unit" means here:
--   organisations  registered on a platform at the unit or below (organisations.unit_code);
--   teams          fielded in the unit (volunteer_teams.unit_code), whichever platform their organisation is on;
--   volunteers     living in the unit (volunteers.home_unit_code);
--   hours          served at checkpoints and grids of the unit (shifts.community_code), planned or done shifts
--                  (not cancelled, not no-shows), as public.hours_served counts them; a shift counts once it
--                  has ended, on the day (Asia/Shanghai) it began.
-- "As of" a day: organisations founded, teams formed and volunteers joined by that day (a missing date counts as
-- always there), shifts ended by the end of that day.
-- Counts of volunteers of 1–2 are withheld (null) from aggregate-only viewers, as coverage counts are.

-- Leaders, commanders and secretaries of the unit or above; volunteers see their own shifts, not these.
create function private.require_leader_view(p_unit text) returns void
language plpgsql stable security definer set search_path = '' as $$
begin
	perform private.require_unit_in_scope(p_unit);
	if coalesce(private.my_role(), '') not in ('leader', 'commander', 'secretary') then
		raise exception '仅领导、指挥长和书记可查看汇总' using errcode = 'insufficient_privilege', hint = 'not_allowed';
	end if;
end $$;

-- Shifts served in a unit up to the end of a day, with the serving volunteer's organisation and its platform.
-- The day is written out rather than through private.shanghai_day: a function with its own search_path is not
-- inlined, and calling it per shift costs more than the rest of the query.
create function private.served_shifts(p_unit text, p_until timestamptz)
returns table (shift_id bigint, volunteer_id bigint, organisation_id bigint, level text, day date, hours numeric)
language sql stable security definer set search_path = '' as $$
	select s.id, s.volunteer_id, v.organisation_id, o.incubation_level, (lower(s.period) at time zone 'Asia/Shanghai')::date,
		(extract(epoch from upper(s.period) - lower(s.period)) / 3600)::numeric
	from public.shifts s
	join public.volunteers v on v.id = s.volunteer_id
	left join public.organisations o on o.id = v.organisation_id
	where s.community_code >= p_unit and s.community_code < p_unit || ':'
		and s.status in ('planned', 'done') and upper(s.period) <= p_until
$$;

-- The unit's social organisations and volunteers as of a day, in one JSON object:
--   totals               organisations, teams, volunteers, volunteers_served, shifts, hours
--   levels               one row per incubation platform (city, district, street, community): organisations
--                        (and by kind), teams, volunteers, hours (teams, volunteers and hours by the platform of
--                        their organisation)
--   volunteers_by_kind   volunteers by kind (volunteer, grid worker, social worker, medical, party member)
--   series               per day from the response's start: teams and volunteers so far (cumulative), hours
--                        served that day and volunteers who served that day
--   top_organisations    the 10 organisations whose volunteers served most hours in the unit
create function public.organisation_overview(p_unit text, p_as_of date) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
	v_until timestamptz := private.end_of_day(p_as_of);
	v_suppress boolean := not coalesce(private.is_personal_staff(), false);
	v_start date;
begin
	perform private.require_leader_view(p_unit);
	if p_as_of is null then
		raise exception '请给出日期' using errcode = 'invalid_parameter_value';
	end if;
	-- Trends run from the first day of the response in effect.
	v_start := (private.check_day(p_unit, p_as_of)).started_on;

	return (
		with orgs as materialized (
			select o.id, o.kind, o.incubation_level as level
			from public.organisations o
			where o.unit_code >= p_unit and o.unit_code < p_unit || ':'
				and (o.founded_on is null or o.founded_on <= p_as_of)
		), teams as materialized (
			select t.id, coalesce(t.formed_on, v_start) as formed_on, o.incubation_level as level
			from public.volunteer_teams t
			join public.organisations o on o.id = t.organisation_id
			where t.unit_code >= p_unit and t.unit_code < p_unit || ':'
				and (t.formed_on is null or t.formed_on <= p_as_of)
		), vols as materialized (
			select v.id, v.kind, coalesce(v.joined_on, v_start) as joined_on, o.incubation_level as level
			from public.volunteers v
			left join public.organisations o on o.id = v.organisation_id
			where v.home_unit_code >= p_unit and v.home_unit_code < p_unit || ':'
				and (v.joined_on is null or v.joined_on <= p_as_of)
		), served as materialized (
			select * from private.served_shifts(p_unit, v_until) s where s.day >= v_start
		), levels as (
			-- One pass over each set, grouped by platform, then joined to the four platforms.
			select l.level, l.n, coalesce(o.n, 0) as organisations, coalesce(o.kinds, '{}') as kinds,
				coalesce(t.n, 0) as teams, coalesce(v.n, 0) as volunteers, coalesce(round(s.hours, 1), 0) as hours
			from (values ('city', 1), ('district', 2), ('street', 3), ('community', 4)) as l(level, n)
			left join (
				select k.level, sum(k.n) as n, jsonb_object_agg(k.kind, k.n) as kinds
				from (select level, kind, count(*) as n from orgs group by 1, 2) k group by 1
			) o on o.level = l.level
			left join (select level, count(*) as n from teams group by 1) t on t.level = l.level
			left join (select level, count(*) as n from vols group by 1) v on v.level = l.level
			left join (select level, sum(hours) as hours from served group by 1) s on s.level = l.level
		), days as (
			select d::date as day from generate_series(v_start, p_as_of, interval '1 day') d
		), teams_by_day as materialized (
			select t.formed_on as day, count(*) as n from teams t group by 1
		), vols_by_day as materialized (
			select v.joined_on as day, count(*) as n from vols v group by 1
		), served_by_day as materialized (
			select s.day, sum(s.hours) as hours, count(distinct s.volunteer_id) as serving from served s group by 1
		), top as (
			select s.organisation_id as id, count(distinct s.volunteer_id) as volunteers, count(*) as shifts,
				round(sum(s.hours), 1) as hours
			from served s where s.organisation_id is not null
			group by 1
			order by sum(s.hours) desc, 1
			limit 10
		)
		select jsonb_build_object(
			'unit', p_unit,
			'as_of', p_as_of,
			'start', v_start,
			'suppressed', v_suppress,
			'totals', jsonb_build_object(
				'organisations', (select count(*) from orgs),
				'teams', (select count(*) from teams),
				'volunteers', private.suppress_small((select count(*) from vols), v_suppress),
				'volunteers_served', private.suppress_small((select count(distinct s.volunteer_id) from served s), v_suppress),
				'shifts', (select count(*) from served),
				'hours', (select coalesce(round(sum(s.hours), 1), 0) from served s)
			),
			'levels', (
				select jsonb_agg(jsonb_build_object(
					'level', l.level, 'organisations', l.organisations, 'kinds', l.kinds, 'teams', l.teams,
					'volunteers', private.suppress_small(l.volunteers, v_suppress), 'hours', l.hours
				) order by l.n) from levels l
			),
			'volunteers_by_kind', (
				select coalesce(jsonb_object_agg(k.kind, private.suppress_small(k.n, v_suppress)), '{}') from (
					select v.kind, count(*) as n from vols v group by v.kind
				) k
			),
			'series', (
				select coalesce(jsonb_agg(jsonb_build_object(
					'day', d.day,
					'teams', (select coalesce(sum(t.n), 0) from teams_by_day t where t.day <= d.day),
					'volunteers', private.suppress_small(
						(select coalesce(sum(v.n), 0) from vols_by_day v where v.day <= d.day)::bigint, v_suppress),
					'hours', coalesce(round(s.hours, 1), 0),
					'serving', private.suppress_small(coalesce(s.serving, 0), v_suppress)
				) order by d.day), '[]')
				from days d left join served_by_day s on s.day = d.day
			),
			'top_organisations', (
				select coalesce(jsonb_agg(jsonb_build_object(
					'id', t.id, 'name', o.name, 'level', o.incubation_level, 'kind', o.kind,
					'volunteers', private.suppress_small(t.volunteers, v_suppress), 'shifts', t.shifts, 'hours', t.hours
				) order by t.hours desc, t.id), '[]')
				from top t join public.organisations o on o.id = t.id
			)
		)
	);
end $$;

-- What happened in the unit on one day, for the daily briefing:
--   leads        opened (reported that day) and moved that day: to verifying, assigned, handled, closed,
--                dismissed (from the kept history)
--   deployment   shifts begun that day (planned or done), the volunteers on them, their hours, the
--                organisations they came from, no-shows; and per incubation platform volunteers and hours
create function public.daily_briefing(p_unit text, p_as_of date) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
	v_from timestamptz := private.start_of_day(p_as_of);
	v_until timestamptz := private.end_of_day(p_as_of);
	v_suppress boolean := not coalesce(private.is_personal_staff(), false);
begin
	perform private.require_leader_view(p_unit);
	perform private.check_day(p_unit, p_as_of);

	return (
		with moves as (
			select e.to_status, count(*) as n
			from public.lead_events e
			where e.grid_code >= p_unit and e.grid_code < p_unit || ':'
				and e.from_status is not null and e.at >= v_from and e.at < v_until
			group by 1
		), shifts as materialized (
			select s.id, s.volunteer_id, s.status, v.organisation_id, o.incubation_level as level,
				(extract(epoch from upper(s.period) - lower(s.period)) / 3600)::numeric as hours
			from public.shifts s
			join public.volunteers v on v.id = s.volunteer_id
			left join public.organisations o on o.id = v.organisation_id
			where s.community_code >= p_unit and s.community_code < p_unit || ':'
				and lower(s.period) >= v_from and lower(s.period) < v_until and s.status <> 'cancelled'
		), served as (
			select * from shifts where status in ('planned', 'done')
		)
		select jsonb_build_object(
			'unit', p_unit,
			'as_of', p_as_of,
			'leads', jsonb_build_object(
				'opened', (select count(*) from public.leads l
					where l.grid_code >= p_unit and l.grid_code < p_unit || ':'
						and l.reported_at >= v_from and l.reported_at < v_until),
				'verifying', coalesce((select n from moves where to_status = 'verifying'), 0),
				'assigned', coalesce((select n from moves where to_status = 'assigned'), 0),
				'handled', coalesce((select n from moves where to_status = 'handled'), 0),
				'closed', coalesce((select n from moves where to_status = 'closed'), 0),
				'dismissed', coalesce((select n from moves where to_status = 'dismissed'), 0)
			),
			'deployment', jsonb_build_object(
				'shifts', (select count(*) from served),
				'volunteers', private.suppress_small((select count(distinct volunteer_id) from served), v_suppress),
				'hours', (select coalesce(round(sum(hours), 1), 0) from served),
				'organisations', (select count(distinct organisation_id) from served),
				'no_shows', (select count(*) from shifts where status = 'no_show'),
				'levels', (
					select jsonb_agg(jsonb_build_object(
						'level', l.level,
						'volunteers', private.suppress_small(
							(select count(distinct s.volunteer_id) from served s where s.level = l.level), v_suppress),
						'hours', (select coalesce(round(sum(s.hours), 1), 0) from served s where s.level = l.level)
					) order by l.n)
					from (values ('city', 1), ('district', 2), ('street', 3), ('community', 4)) as l(level, n)
				)
			)
		)
	);
end $$;

revoke execute on function private.require_leader_view(text) from public, anon, authenticated;
revoke execute on function private.served_shifts(text, timestamptz) from public, anon, authenticated;
revoke execute on function public.organisation_overview(text, date) from public, anon;
revoke execute on function public.daily_briefing(text, date) from public, anon;
grant execute on function public.organisation_overview(text, date) to authenticated;
grant execute on function public.daily_briefing(text, date) to authenticated;
