-- Retention (security item 23): once the response has ended and its retention period has passed, a purge removes
-- or anonymises the personal health and location data and keeps the aggregates.
--
-- What goes:            screenings (outcome, symptoms, notes, who screened whom and when), the per-household
--                       screening state, building claims, the special-group registry (residents) and its service
--                       requests; households lose their head's name and phone; leads lose their place, description,
--                       reporter and assignee, and their history its notes and actors.
-- What stays:           the coverage counters (households, first screenings, spans, screenings per day, method and
--                       outcome), so coverage over time, the choropleth, the KPIs and the charts read as before;
--                       leads by grid, kind and status with their dates; buildings, rooms and household sizes (the
--                       housing stock, not a person); volunteers, teams, organisations and shifts (staff, not the
--                       subjects of health data); the audit log.
-- The purge writes an audit row with its counts. It is run by the operator (`npm run purge`, service role), e.g.
-- daily from cron: until the response is declared ended and the period has passed it changes nothing.

create table public.retention_policy (
	-- One row: the policy of this deployment.
	id boolean primary key default true check (id),
	-- The day the response was declared over; null while it goes on.
	response_ended_on date,
	-- How long personal data is kept after that day.
	retention_days int not null default 180 check (retention_days between 1 and 3650),
	-- When personal data was last purged (null: never), so screens can say why personal detail is gone.
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

-- The purge is an action of its own in the audit log.
alter table public.audit_log drop constraint audit_log_action_check;
alter table public.audit_log add constraint audit_log_action_check
	check (action in ('reveal_phone', 'reveal_id_number', 'read_personal', 'export', 'purge'));

-- The day personal data becomes due for the purge: the response's end plus the retention period, or null while
-- the response goes on.
create function public.retention_due_on() returns date
language sql stable security definer set search_path = '' as $$
	select p.response_ended_on + p.retention_days from public.retention_policy p
$$;
revoke execute on function public.retention_due_on() from public, anon;
grant execute on function public.retention_due_on() to authenticated, service_role;

-- Purges personal health and location data when it is due on `p_today` (the Shanghai date by default). Returns what
-- it did: `{"purged": false, "reason": "response_ongoing" | "not_due", "due_on": ...}` or `{"purged": true, ...counts}`.
-- Running it again after a purge removes only what was entered since. The coverage counters are maintained by
-- triggers on screenings; those are switched off for the purge's own deletes (inside its transaction, so nothing
-- else writes screenings meanwhile: ALTER TABLE holds the table's lock until commit), which is what keeps the
-- aggregates.
create function public.purge_personal_data(p_today date default null) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
	v_today date := coalesce(p_today, (now() at time zone 'Asia/Shanghai')::date);
	v_policy public.retention_policy;
	v_due date;
	v_counts jsonb;
	v_screenings bigint;
	v_states bigint;
	v_claims bigint;
	v_requests bigint;
	v_residents bigint;
	v_households bigint;
	v_leads bigint;
	v_events bigint;
begin
	select * into v_policy from public.retention_policy for update;
	if v_policy.response_ended_on is null then
		return jsonb_build_object('purged', false, 'reason', 'response_ongoing');
	end if;
	v_due := v_policy.response_ended_on + v_policy.retention_days;
	if v_today < v_due then
		return jsonb_build_object('purged', false, 'reason', 'not_due', 'due_on', v_due);
	end if;

	alter table public.screenings disable trigger screenings_counters;
	delete from public.screenings where true;
	get diagnostics v_screenings = row_count;
	alter table public.screenings enable trigger screenings_counters;
	delete from private.household_screening_state where true;
	get diagnostics v_states = row_count;
	delete from public.building_claims where true;
	get diagnostics v_claims = row_count;
	delete from public.service_requests where true;
	get diagnostics v_requests = row_count;
	delete from public.residents where true;
	get diagnostics v_residents = row_count;
	update public.households set head_name = '（已匿名）', phone = null
	where head_name <> '（已匿名）' or phone is not null;
	get diagnostics v_households = row_count;
	update public.leads set title = '（已匿名）', description = null, lon = null, lat = null, reported_by = null,
		assigned_volunteer_id = null
	where title <> '（已匿名）' or description is not null or lon is not null or reported_by is not null
		or assigned_volunteer_id is not null;
	get diagnostics v_leads = row_count;
	update public.lead_events set note = null, by_user = null where note is not null or by_user is not null;
	get diagnostics v_events = row_count;

	v_counts := jsonb_build_object('screenings', v_screenings, 'household_states', v_states,
		'building_claims', v_claims, 'service_requests', v_requests, 'residents', v_residents,
		'households', v_households, 'leads', v_leads, 'lead_events', v_events);
	update public.retention_policy set purged_at = now();
	insert into public.audit_log (user_id, unit_code, action, table_name, purpose, detail)
	values (auth.uid(), (select u.code from public.units u where u.parent_code is null order by u.code limit 1),
		'purge', 'retention_policy', '保留期满，清除个人健康与位置数据',
		v_counts || jsonb_build_object('response_ended_on', v_policy.response_ended_on,
			'retention_days', v_policy.retention_days, 'as_of', v_today));
	return jsonb_build_object('purged', true, 'due_on', v_due) || v_counts;
end $$;
revoke execute on function public.purge_personal_data(date) from public, anon, authenticated;
grant execute on function public.purge_personal_data(date) to service_role;
