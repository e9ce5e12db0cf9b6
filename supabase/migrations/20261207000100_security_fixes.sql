-- Holes found by probing the stack as each role (issue #19, item 3; checklist item 27 of the
-- security checklist, docs/security.md lists the tests):
--
--   1. Direct writes obey the RPCs' rules. A member's POST or PATCH straight at screenings, leads or
--      service_requests meets the same rules as record_screening, move_lead, update_my_request and the care
--      screen: a screening's time within the outbox's window and its screener the caller; a lead reported as new,
--      now, and its report and closing times kept by the database; a request created open or assigned, now, and
--      moved only along the care screen's steps; an assignee among the volunteers the caller may see (her unit).
--      The rules apply to members' requests (a JWT with a subject). The seed, the retention purge, migrations and
--      an operator's SQL write history as the database's owner and are not held to them.
--
-- Errors carry a Chinese message and a HINT the app maps (src/lib/server/db-error.ts), listed with each rule.

-- ---------------------------------------------------------------------------------------------------------
-- 1. Direct writes
-- ---------------------------------------------------------------------------------------------------------

-- The window a screening's time must lie in when a member records it, the one record_screening applies: up to 7
-- days back, because a phone's outbox (src/lib/offline/outbox.svelte.ts) keeps an entry recorded offline until
-- it is sent, and a worker may be offline for days; at most 10 minutes ahead, for a phone whose clock runs fast.
-- An older entry is refused, and the outbox marks it failed with the message for the worker to read.
create function private.screened_at_allowed(p_at timestamptz) returns boolean
language sql stable set search_path = '' as $$
	select p_at >= now() - interval '7 days' and p_at <= now() + interval '10 minutes'
$$;

-- True when a volunteer with this id exists and lives in the caller's unit (what RLS lets staff see, and what
-- move_lead already checks). Definer: it runs inside triggers, for the row's writer.
create function private.volunteer_in_my_scope(p_volunteer_id bigint) returns boolean
language sql stable security definer set search_path = '' as $$
	select exists (select 1 from public.volunteers v
		where v.id = p_volunteer_id and coalesce(private.in_scope(v.home_unit_code), false))
$$;

-- Screenings a member writes (record_screening, or a POST straight at the table): the time inside the window,
-- the screener the caller. Runs before screenings_from_household (triggers run in name order), so it sees the
-- volunteer id as the client sent it; that trigger then fills in the caller's own.
-- Errors (HINT): screened_at_out_of_range, screener_not_self.
create function private.screenings_member_rules() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
	if auth.uid() is null then
		return new;
	end if;
	if not coalesce(private.screened_at_allowed(new.screened_at), true) then
		raise exception '摸排时间须在最近 7 天内' using errcode = 'check_violation', hint = 'screened_at_out_of_range';
	end if;
	if new.screened_by_volunteer_id is not null
		and new.screened_by_volunteer_id is distinct from private.my_volunteer_id() then
		raise exception '摸排记录只能记在本人名下' using errcode = 'insufficient_privilege', hint = 'screener_not_self';
	end if;
	new.created_at := now();
	return new;
end $$;
create trigger screenings_check_member_write before insert on public.screenings
	for each row execute function private.screenings_member_rules();

-- Leads a member writes. A report starts the workflow: new, now, nobody assigned, not closed (move_lead takes it
-- further, one step at a time, each kept in lead_events). Afterwards the report's time and reporter and the
-- closing time are the database's: the history trigger sets closed_at when a lead is closed or dismissed. An
-- assignee is a volunteer of the caller's unit. Runs before leads_history_on_update, so it sees what the client
-- sent. Errors (HINT): lead_must_start_new, lead_reported_at_fixed, lead_history_fixed, volunteer_outside_scope.
create function private.leads_member_rules() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
	if auth.uid() is null then
		return new;
	end if;
	if tg_op = 'INSERT' then
		if new.status is distinct from 'new' or new.closed_at is not null or new.assigned_volunteer_id is not null then
			raise exception '上报的线索只能是「新线索」：核实、分派和办结须在处置流程中逐步进行'
				using errcode = 'check_violation', hint = 'lead_must_start_new';
		end if;
		-- The column's default is now(), the same instant within the statement's transaction.
		if new.reported_at is distinct from now() then
			raise exception '上报时间由系统记录，不能自行填写' using errcode = 'check_violation', hint = 'lead_reported_at_fixed';
		end if;
		new.updated_at := now();
	else
		if new.reported_at is distinct from old.reported_at or new.reported_by is distinct from old.reported_by
			or new.closed_at is distinct from old.closed_at or new.updated_at is distinct from old.updated_at then
			raise exception '线索的上报时间、上报人和办结时间由系统记录，不能修改'
				using errcode = 'check_violation', hint = 'lead_history_fixed';
		end if;
	end if;
	if new.assigned_volunteer_id is not null
		and (tg_op = 'INSERT' or new.assigned_volunteer_id is distinct from old.assigned_volunteer_id)
		and not private.volunteer_in_my_scope(new.assigned_volunteer_id) then
		raise exception '找不到该处置人员，或不在你的管辖范围内'
			using errcode = 'insufficient_privilege', hint = 'volunteer_outside_scope';
	end if;
	return new;
end $$;
create trigger leads_check_member_write before insert or update on public.leads
	for each row execute function private.leads_member_rules();

-- Service requests a member writes: created open or assigned, now, by the caller; moved only along the care
-- screen's steps (src/lib/domain/care.ts; update_my_request allows a volunteer a subset); assigned to a volunteer
-- of the caller's unit (a volunteer sees the resident's room and masked phone in my_tasks).
-- Errors (HINT): request_must_start_open, request_created_at_fixed, request_created_fixed,
-- request_step_not_allowed, volunteer_outside_scope.
create function private.service_requests_member_rules() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
	if auth.uid() is null then
		return new;
	end if;
	if tg_op = 'INSERT' then
		if new.status not in ('open', 'assigned') then
			raise exception '新的服务需求只能是「待指派」或「已指派」'
				using errcode = 'check_violation', hint = 'request_must_start_open';
		end if;
		if new.created_at is distinct from now() then
			raise exception '创建时间由系统记录，不能自行填写' using errcode = 'check_violation', hint = 'request_created_at_fixed';
		end if;
		new.created_by := auth.uid();
	else
		if new.created_at is distinct from old.created_at or new.created_by is distinct from old.created_by then
			raise exception '服务需求的创建时间和创建人由系统记录，不能修改'
				using errcode = 'check_violation', hint = 'request_created_fixed';
		end if;
		if new.status is distinct from old.status and (old.status, new.status) not in (
			('open', 'assigned'), ('open', 'cancelled'), ('assigned', 'in_progress'), ('assigned', 'done'),
			('assigned', 'cancelled'), ('in_progress', 'done'), ('in_progress', 'cancelled')) then
			raise exception '任务不能从「%」改为「%」', private.request_status_name(old.status),
				private.request_status_name(new.status)
				using errcode = 'check_violation', hint = 'request_step_not_allowed';
		end if;
	end if;
	if new.assigned_volunteer_id is not null
		and (tg_op = 'INSERT' or new.assigned_volunteer_id is distinct from old.assigned_volunteer_id)
		and not private.volunteer_in_my_scope(new.assigned_volunteer_id) then
		raise exception '找不到该服务人员，或不在你的管辖范围内'
			using errcode = 'insufficient_privilege', hint = 'volunteer_outside_scope';
	end if;
	return new;
end $$;
create trigger service_requests_check_member_write before insert or update on public.service_requests
	for each row execute function private.service_requests_member_rules();

-- Called inside the triggers above (they run as the owner): no member calls it.
revoke execute on function private.volunteer_in_my_scope(bigint) from public, anon, authenticated;

