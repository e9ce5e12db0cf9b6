-- The leads workflow (issue #5): a reported lead lies inside its grid (the app routes it by point-in-polygon;
-- the database checks again), each step is kept with who, when and an optional note, and staff move a lead
-- through move_lead. The allowed steps are private.lead_transition_allowed (20261129000600), enforced by the
-- history trigger for every write.

-- Who took a step, by name when it was taken (co-workers cannot read each other's memberships).
alter table public.lead_events add column by_name text check (length(by_name) <= 60);

-- A status as people read it, for messages.
create function private.lead_status_name(s text) returns text
language sql immutable set search_path = '' as $$
	select case s when 'new' then '新线索' when 'verifying' then '核实中' when 'assigned' then '已分派'
		when 'handled' then '已处置' when 'closed' then '已办结' when 'dismissed' then '已排除' else s end
$$;

-- The history trigger of 20261129000600, now with the actor's name and the step's note: move_lead passes the
-- note in the transaction-local setting wanggetong.lead_note (a trigger takes no arguments).
create or replace function private.record_lead_event() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
	v_note text := nullif(current_setting('wanggetong.lead_note', true), '');
	v_name text := (select nullif(m.display_name, '') from public.memberships m where m.user_id = auth.uid());
begin
	if tg_op = 'INSERT' then
		insert into public.lead_events (lead_id, grid_code, from_status, to_status, at, by_user, by_name, note)
		values (new.id, new.grid_code, null, new.status, new.reported_at, auth.uid(), v_name, v_note);
	elsif new.status is distinct from old.status then
		if not private.lead_transition_allowed(old.status, new.status) then
			raise exception '线索状态不能从「%」改为「%」', private.lead_status_name(old.status),
				private.lead_status_name(new.status)
				using errcode = 'check_violation', hint = 'lead_transition_not_allowed';
		end if;
		new.updated_at := now();
		if new.status in ('closed', 'dismissed') then new.closed_at := now(); end if;
		insert into public.lead_events (lead_id, grid_code, from_status, to_status, by_user, by_name, note)
		values (new.id, new.grid_code, old.status, new.status, auth.uid(), v_name, v_note);
	end if;
	return new;
end $$;

-- A lead with a place lies inside its grid's polygon (private.point_in_area, 20261129001100); a deadline comes
-- after the report; the reporter is the caller.
create function private.leads_rules() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
	v_grid public.units;
begin
	if tg_op = 'INSERT' and auth.uid() is not null then
		new.reported_by := auth.uid();
	end if;
	if new.lon is not null and (tg_op = 'INSERT' or new.lon is distinct from old.lon
		or new.lat is distinct from old.lat or new.grid_code is distinct from old.grid_code) then
		select * into v_grid from public.units u where u.code = new.grid_code;
		if v_grid.geometry is not null and not private.point_in_area(v_grid.geometry, new.lon, new.lat) then
			raise exception '线索位置不在%内', v_grid.name using errcode = 'check_violation', hint = 'lead_outside_grid';
		end if;
	end if;
	if new.deadline is not null and new.deadline <= new.reported_at then
		raise exception '办理期限须晚于上报时间' using errcode = 'check_violation', hint = 'lead_deadline_before_report';
	end if;
	return new;
end $$;
create trigger leads_rules before insert or update on public.leads
	for each row execute function private.leads_rules();

grant execute on all functions in schema private to authenticated, service_role;

-- Moves a lead one step (to a status the workflow allows from its current one), with an optional note kept in
-- its history; moving to `assigned` names who handles it (a volunteer or social worker the caller may see);
-- `p_deadline` sets a new deadline. Runs as the caller: community and street staff of the lead's unit.
-- Errors (HINT): lead_not_found (or outside the caller's unit), lead_transition_not_allowed,
-- lead_needs_assignee, volunteer_outside_scope, note_too_long, lead_deadline_before_report.
create function public.move_lead(p_lead_id bigint, p_to_status text, p_note text default null,
	p_volunteer_id bigint default null, p_deadline timestamptz default null)
returns void
language plpgsql security invoker set search_path = '' as $$
declare
	v_lead public.leads;
	v_assignee bigint;
begin
	if not coalesce(private.is_personal_staff(), false) then
		raise exception '只有社区书记和街道指挥长可以处理线索' using errcode = 'insufficient_privilege', hint = 'not_allowed';
	end if;
	select * into v_lead from public.leads l where l.id = p_lead_id and private.in_scope(l.grid_code) for update;
	if v_lead.id is null then
		raise exception '找不到该线索，或不在你的管辖范围内' using errcode = 'no_data_found', hint = 'lead_not_found';
	end if;
	if not private.lead_transition_allowed(v_lead.status, p_to_status) then
		raise exception '线索状态不能从「%」改为「%」', private.lead_status_name(v_lead.status),
			private.lead_status_name(p_to_status)
			using errcode = 'check_violation', hint = 'lead_transition_not_allowed';
	end if;
	if length(p_note) > 500 then
		raise exception '备注不能超过 500 字' using errcode = 'check_violation', hint = 'note_too_long';
	end if;
	v_assignee := coalesce(p_volunteer_id, v_lead.assigned_volunteer_id);
	if p_to_status = 'assigned' and v_assignee is null then
		raise exception '分派线索需要指定处置人员' using errcode = 'check_violation', hint = 'lead_needs_assignee';
	end if;
	-- Under RLS: staff see the volunteers of their unit.
	if p_volunteer_id is not null and not exists (select 1 from public.volunteers v where v.id = p_volunteer_id) then
		raise exception '找不到该处置人员，或不在你的管辖范围内'
			using errcode = 'insufficient_privilege', hint = 'volunteer_outside_scope';
	end if;
	perform set_config('wanggetong.lead_note', coalesce(trim(p_note), ''), true);
	update public.leads
	set status = p_to_status,
		assigned_volunteer_id = case when p_to_status = 'assigned' then v_assignee else assigned_volunteer_id end,
		deadline = coalesce(p_deadline, deadline)
	where id = p_lead_id;
	perform set_config('wanggetong.lead_note', '', true);
end $$;

revoke execute on function public.move_lead(bigint, text, text, bigint, timestamptz) from public, anon;
grant execute on function public.move_lead(bigint, text, text, bigint, timestamptz) to authenticated;
