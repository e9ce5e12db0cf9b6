-- Retention (security item 23): once a response has ended and its retention period has passed, a purge removes
-- or anonymises the personal health and location data of that response and keeps the aggregates. Each response
-- has its own end and retention days (public.responses); a running response's data is never touched.
--
-- What goes, per due response: its screenings (outcome, symptoms, notes, who screened whom and when) and their
--                       building claims, its special-group registrations (residents) and service requests, its
--                       leads' place, description, reporter and assignee (and their history's notes and actors);
--                       households of its area lose their head's name and phone unless a response that is still
--                       running, or not yet due, covers them.
-- What stays:           the coverage counters (households, first screenings, spans, screenings per day, method and
--                       outcome), so coverage over time, the choropleth, the KPIs and the charts read as before;
--                       leads by grid, kind and status with their dates; buildings, rooms and household sizes (the
--                       housing stock, not a person); volunteers, teams, organisations and shifts (staff, not the
--                       subjects of health data); the audit log.
-- The purge writes an audit row per response with its counts. It is run by the operator (`npm run purge`, service
-- role), e.g. daily from cron: until a response has ended and its period has passed it changes nothing.

create table public.retention_policy (
	-- One row: when personal data was last purged (null: never), so screens can say why personal detail is gone.
	id boolean primary key default true check (id),
	purged_at timestamptz
);
insert into public.retention_policy default values;
alter table public.retention_policy enable row level security;

revoke insert, update, delete, truncate on public.retention_policy from anon, authenticated;
grant select on public.retention_policy to authenticated;
grant select, update on public.retention_policy to service_role;

create policy "The retention policy is readable by every member"
	on public.retention_policy for select to authenticated
	using (true);

-- The day a response's personal data becomes due for the purge: its end plus its retention days (null while it
-- runs).
create function public.retention_due_on(p_response_id bigint) returns date
language sql stable security definer set search_path = '' as $$
	select r.ended_on + r.retention_days from public.responses r where r.id = p_response_id
$$;
revoke execute on function public.retention_due_on(bigint) from public, anon;
grant execute on function public.retention_due_on(bigint) to authenticated, service_role;

-- Purges the personal data of every response due on `p_today` (the Shanghai date by default) and not purged yet.
-- Returns {"purged": [{response_id, due_on, ...counts}], "next_due_on": the next day one falls due or null}.
-- Screenings are deleted with the counters' trigger off (inside this transaction: ALTER TABLE holds the table's
-- lock until commit), which keeps the aggregates; the per-household state the trigger diffs against is rewritten
-- to what the remaining screenings give, so later screenings of the same households move the counters from there.
create function public.purge_personal_data(p_today date default null) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
	v_today date := coalesce(p_today, (now() at time zone 'Asia/Shanghai')::date);
	v_response public.responses;
	v_done jsonb := '[]'::jsonb;
	v_counts jsonb;
	v_households bigint[];
	v_screenings bigint;
	v_claims bigint;
	v_requests bigint;
	v_residents bigint;
	v_anonymised bigint;
	v_leads bigint;
	v_events bigint;
begin
	for v_response in
		select * from public.responses r
		where r.ended_on is not null and r.ended_on + r.retention_days <= v_today and r.purged_at is null
		order by r.ended_on, r.id
		for update
	loop
		alter table public.screenings disable trigger screenings_counters;
		with gone as (
			delete from public.screenings s
			using public.screening_rounds sr
			where sr.id = s.round_id and sr.response_id = v_response.id
			returning s.household_id
		)
		select coalesce(array_agg(distinct household_id), '{}'), count(*) into v_households, v_screenings from gone;
		alter table public.screenings enable trigger screenings_counters;
		-- The state of those households as their remaining screenings (of other responses) give it, or none.
		delete from private.household_screening_state st where st.household_id = any (v_households);
		insert into private.household_screening_state (household_id, grid_code, days, round_ids, first_days)
		select h.id, h.grid_code,
			(select array_agg(distinct private.shanghai_day(s.screened_at) order by private.shanghai_day(s.screened_at))
				from public.screenings s where s.household_id = h.id and s.outcome <> 'unreachable'),
			f.round_ids, f.first_days
		from public.households h
		cross join lateral (
			select array_agg(x.round_id order by x.round_id) as round_ids,
				array_agg(x.first_day order by x.round_id) as first_days
			from (select s.round_id, min(private.shanghai_day(s.screened_at)) as first_day from public.screenings s
				where s.household_id = h.id and s.outcome <> 'unreachable' group by s.round_id) x
		) f
		where h.id = any (v_households) and f.round_ids is not null;

		delete from public.building_claims c using public.screening_rounds sr
		where sr.id = c.round_id and sr.response_id = v_response.id;
		get diagnostics v_claims = row_count;
		delete from public.service_requests q where q.response_id = v_response.id;
		get diagnostics v_requests = row_count;
		delete from public.residents r where r.response_id = v_response.id;
		get diagnostics v_residents = row_count;
		-- Households of the area, unless a response still running or not yet due covers them.
		update public.households h set head_name = '（已匿名）', phone = null
		where h.grid_code >= v_response.unit_code and h.grid_code < v_response.unit_code || ':'
			and (h.head_name <> '（已匿名）' or h.phone is not null)
			and not exists (
				select 1 from public.responses o
				where o.id <> v_response.id and left(h.grid_code, length(o.unit_code)) = o.unit_code
					and (o.ended_on is null or o.ended_on + o.retention_days > v_today));
		get diagnostics v_anonymised = row_count;
		update public.leads l set title = '（已匿名）', description = null, lon = null, lat = null,
			reported_by = null, assigned_volunteer_id = null
		where l.response_id = v_response.id;
		get diagnostics v_leads = row_count;
		update public.lead_events e set note = null, by_user = null
		from public.leads l where l.id = e.lead_id and l.response_id = v_response.id
			and (e.note is not null or e.by_user is not null);
		get diagnostics v_events = row_count;

		v_counts := jsonb_build_object('screenings', v_screenings, 'building_claims', v_claims,
			'service_requests', v_requests, 'residents', v_residents, 'households', v_anonymised, 'leads', v_leads,
			'lead_events', v_events);
		update public.responses r set purged_at = now() where r.id = v_response.id;
		insert into public.audit_log (user_id, unit_code, action, table_name, record_id, purpose, detail)
		values (auth.uid(), v_response.unit_code, 'purge', 'responses', v_response.id, '保留期满，清除个人健康与位置数据',
			v_counts || jsonb_build_object('ended_on', v_response.ended_on, 'retention_days', v_response.retention_days,
				'as_of', v_today));
		v_done := v_done || jsonb_build_array(jsonb_build_object('response_id', v_response.id,
			'due_on', v_response.ended_on + v_response.retention_days) || v_counts);
	end loop;
	if jsonb_array_length(v_done) > 0 then
		update public.retention_policy set purged_at = now();
	end if;
	return jsonb_build_object('purged', v_done, 'next_due_on', (
		select min(r.ended_on + r.retention_days) from public.responses r
		where r.ended_on is not null and r.purged_at is null));
end $$;
revoke execute on function public.purge_personal_data(date) from public, anon, authenticated;
grant execute on function public.purge_personal_data(date) to service_role;
