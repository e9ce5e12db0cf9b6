-- The side panel of a unit as of a day: KPIs and the series behind its charts, in one round trip. Computed
-- from the records (coverage from the per-grid counters), scoped like coverage_by_unit, and with household
-- counts of 1–2 withheld from aggregate-only viewers. Leads are counted, never listed, here.

-- Leads of a unit with their status as of a moment (from the kept history) and whether they were overdue then.
create function private.leads_as_of(p_unit text, p_at timestamptz)
returns table (lead_id bigint, grid_code text, status text, overdue boolean)
language sql stable security definer set search_path = '' as $$
	select l.id, l.grid_code::text, e.to_status,
		e.to_status in ('new', 'verifying', 'assigned') and l.deadline is not null and l.deadline < p_at
	from public.leads l
	cross join lateral (
		select ev.to_status from public.lead_events ev
		where ev.lead_id = l.id and ev.at <= p_at
		order by ev.at desc, ev.id desc limit 1
	) e
	where l.grid_code >= p_unit and l.grid_code < p_unit || ':' and l.reported_at <= p_at
		-- Leads of the responses in effect on that day over the unit, above it or below it.
		and l.response_id in (
			select r.id from public.responses r
			where private.codes_nest(p_unit, r.unit_code)
				and r.started_on <= private.shanghai_day(p_at - interval '1 second')
				and private.shanghai_day(p_at - interval '1 second') <= coalesce(r.ended_on, private.today()))
$$;

-- Its words say exactly what each number counts (issue #20): rescreen_due are households reached at least once
-- by the day but not in the last N days, never_screened those never reached by it (in any round); stale is their sum
-- (households_not_rescreened lists the same households).
create function public.unit_dashboard(
	p_unit text, p_as_of date, p_at timestamptz default null, p_stale_days int default null,
	p_round_id bigint default null
) returns jsonb
-- Custom plans: after five calls the cached generic plan took 15–29 s for the city on the embedded stack (a
-- custom plan: about half a second under the same load), holding the one database session meanwhile.
language plpgsql stable security definer set search_path = '' set plan_cache_mode = force_custom_plan as $$
declare
	v_round bigint := coalesce(p_round_id, private.round_on(p_unit, p_as_of));
	v_until timestamptz := private.end_of_day(p_as_of);
	-- The moment for "on duty now": given, or 10:00 of the day (a day-shift hour).
	v_at timestamptz := coalesce(p_at, (p_as_of + time '10:00') at time zone 'Asia/Shanghai');
	v_suppress boolean := not coalesce(private.is_personal_staff(), false);
	-- "Not re-screened in N days": N given, or the round's validity (a screening counts for that long).
	v_stale_days int := coalesce(p_stale_days,
		(select r.valid_days from public.screening_rounds r where r.id = private.round_on(p_unit, p_as_of)), 14);
	v_start date;
	v_households bigint;
	v_screened bigint;
	v_fresh bigint;
	v_ever bigint;
	v_result jsonb;
begin
	if p_unit is null or p_unit !~ '^[0-9]{4,15}$' or not coalesce(private.in_scope(p_unit), false) then
		raise exception '无权查看该单位：%', coalesce(p_unit, '(空)') using errcode = 'insufficient_privilege';
	end if;
	if p_as_of is null then
		raise exception '请给出日期' using errcode = 'invalid_parameter_value';
	end if;
	if v_stale_days not between 1 and 60 then
		raise exception '天数须在 1 到 60 之间' using errcode = 'invalid_parameter_value';
	end if;
	-- The series run from the first day of the response in effect: never longer than the response.
	v_start := (private.check_day(p_unit, p_as_of)).started_on;

	select coalesce(sum(g.households), 0) into v_households from private.grid_households g
	where g.grid_code >= p_unit and g.grid_code < p_unit || ':';
	select coalesce(sum(f.households), 0) into v_screened from private.grid_first_screenings f
	where p_round_id is not null and f.grid_code >= p_unit and f.grid_code < p_unit || ':' and f.round_id = p_round_id
		and f.day <= p_as_of;
	-- Without a chosen round: each grid's current round (a community's own round over the district's).
	if p_round_id is null then
		select coalesce(sum(c.covered), 0) into v_screened
		from private.covered_by_child(p_unit, length(p_unit), p_as_of, null, null) c;
	end if;
	-- Each household reached by the day has one span that holds the day (its latest screening by then): those
	-- spans count the households ever reached, the ones that began in the last N days those reached lately.
	select coalesce(sum(s.households), 0), coalesce(sum(s.households) filter (where s.day > p_as_of - v_stale_days), 0)
	into v_ever, v_fresh
	from private.grid_screening_spans s
	where s.grid_code >= p_unit and s.grid_code < p_unit || ':' and s.day <= p_as_of and s.next_day > p_as_of;

	with checkpoint_staff as (
		select c.id, c.staff_required,
			(select count(*) from public.shifts sh
				where sh.checkpoint_id = c.id and sh.status <> 'cancelled' and sh.period @> v_at) as staffed
		from public.checkpoints c
		where c.community_code >= p_unit and c.community_code < p_unit || ':' and c.status = 'active'
	), leads as (
		select * from private.leads_as_of(p_unit, v_until)
	), days as (
		select d::date as day from generate_series(v_start, p_as_of, interval '1 day') d
	), firsts as materialized (
		select f.round_id, f.day, sum(f.households) as households
		from private.grid_first_screenings f
		where f.grid_code >= p_unit and f.grid_code < p_unit || ':' and f.day <= p_as_of
		group by 1, 2
	), coverage_series as (
		select d.day, r.round_id,
			(select coalesce(sum(f.households), 0) from firsts f where f.round_id = r.round_id and f.day <= d.day) as screened
		from days d
		cross join lateral (select private.round_on(p_unit, d.day) as round_id) r
	), daily as (
		select s.day,
			coalesce(sum(s.screenings) filter (where s.method = 'door'), 0) as door,
			coalesce(sum(s.screenings) filter (where s.method = 'phone'), 0) as phone,
			coalesce(sum(s.screenings) filter (where s.outcome = 'flagged'), 0) as flagged
		from private.grid_screenings_daily s
		where s.grid_code >= p_unit and s.grid_code < p_unit || ':' and s.day >= v_start and s.day <= p_as_of
		group by 1
	), hours as (
		select o.id, o.name, o.incubation_level as level,
			round(sum(extract(epoch from (least(upper(sh.period), v_until) - lower(sh.period))) / 3600)::numeric, 1) as hours
		from public.shifts sh
		join public.volunteers v on v.id = sh.volunteer_id
		join public.organisations o on o.id = v.organisation_id
		where sh.community_code >= p_unit and sh.community_code < p_unit || ':'
			and sh.status not in ('cancelled', 'no_show') and lower(sh.period) < v_until
			and lower(sh.period) >= private.start_of_day(v_start)
		group by o.id, o.name, o.incubation_level
	)
	select jsonb_build_object(
		'unit', p_unit,
		'as_of', p_as_of,
		'at', v_at,
		'round_id', v_round,
		'stale_days', v_stale_days,
		'suppressed', v_suppress and (v_households between 1 and 2 or v_screened between 1 and 2
			or (v_households - v_fresh) between 1 and 2 or (v_households - v_ever) between 1 and 2
			or (v_ever - v_fresh) between 1 and 2),
		'kpis', jsonb_build_object(
			'households', private.suppress_small(v_households, v_suppress),
			'screened', private.suppress_small(v_screened, v_suppress),
			'remaining', private.suppress_small(v_households - v_screened, v_suppress),
			'coverage', case when v_households = 0 or v_round is null then null
				when v_suppress and (v_households between 1 and 2 or v_screened between 1 and 2) then null
				else round(v_screened::numeric / v_households, 4) end,
			'stale', private.suppress_small(v_households - v_fresh, v_suppress),
			'rescreen_due', private.suppress_small(v_ever - v_fresh, v_suppress),
			'never_screened', private.suppress_small(v_households - v_ever, v_suppress),
			'open_leads', (select count(*) from leads where status in ('new', 'verifying', 'assigned')),
			'overdue_leads', (select count(*) from leads where overdue),
			'volunteers_on_duty', (select count(distinct sh.volunteer_id) from public.shifts sh
				where sh.community_code >= p_unit and sh.community_code < p_unit || ':'
					and sh.status <> 'cancelled' and sh.period @> v_at),
			'checkpoints', (select count(*) from checkpoint_staff),
			'understaffed_checkpoints', (select count(*) from checkpoint_staff where staffed < staff_required)
		),
		'coverage_series', (
			select coalesce(jsonb_agg(jsonb_build_object(
				'day', cs.day, 'round_id', cs.round_id,
				'coverage', case when v_households = 0 or cs.round_id is null then null
					else round(cs.screened::numeric / v_households, 4) end
			) order by cs.day), '[]') from coverage_series cs
		),
		'screenings_by_day', (
			select coalesce(jsonb_agg(jsonb_build_object(
				'day', d.day, 'door', coalesce(x.door, 0), 'phone', coalesce(x.phone, 0), 'flagged', coalesce(x.flagged, 0)
			) order by d.day), '[]') from days d left join daily x on x.day = d.day
		),
		'leads_by_status', (
			select coalesce(jsonb_object_agg(s.status, s.n), '{}') from (
				select l.status, count(*) as n from leads l group by l.status
			) s
		),
		'hours_by_organisation', (
			select coalesce(jsonb_agg(jsonb_build_object('id', h.id, 'name', h.name, 'level', h.level, 'hours', h.hours)
				order by h.hours desc, h.id), '[]')
			from (select * from hours order by hours desc, id limit 10) h
		)
	) into v_result;
	return v_result;
end $$;
revoke execute on function public.unit_dashboard(text, date, timestamptz, int, bigint) from public, anon;
grant execute on function public.unit_dashboard(text, date, timestamptz, int, bigint) to authenticated;
revoke execute on function private.leads_as_of(text, timestamptz) from public, anon, authenticated;
