-- Holes found by probing the stack as each role (issue #19, items 3, 5 and 6; checklist items 5, 8, 22 and 27 of
-- the security checklist, docs/security.md lists the tests):
--
--   1. Direct writes obey the RPCs' rules. A member's POST or PATCH straight at screenings, leads or
--      service_requests meets the same rules as record_screening, move_lead, update_my_request and the care
--      screen: a screening's time within the outbox's window and its screener the caller; a lead reported as new,
--      now, and its report and closing times kept by the database; a request created open or assigned, now, and
--      moved only along the care screen's steps; an assignee among the volunteers the caller may see (her unit).
--      The rules apply to members' requests (a JWT with a subject). The seed, the retention purge, migrations and
--      an operator's SQL write history as the database's owner and are not held to them.
--   2. A volunteer's board shows what the next visit needs: rooms and each household's status, and health details
--      (outcome, flags, note) only of the screenings she recorded. Others' screenings say when and how, and
--      whether anyone was reached; a household another worker flagged reads as reached.
--   3. Bulk reads of personal rows are audited (read_personal): the special-group registry (now read only through
--      public.care_registry), a building's households and the households not re-screened, for staff. One row per
--      person, read and place per 15 minutes, so a screen reloaded after every action is one entry, not hundreds.
--      Names, groups and masked numbers of residents and households' heads are no longer selectable straight
--      from the tables. The briefing's downloads write an export row (public.audit_briefing_download).
--   4. EXECUTE on definer functions: several migrations ran `grant execute on all functions in schema private`,
--      which gave back functions that earlier ones had revoked (the counters' rebuild, unscoped aggregates).
--      The end of this file sets the final state; tests/db/security.test.ts holds it to an explicit list.
--      New migrations grant function by function.
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

-- ---------------------------------------------------------------------------------------------------------
-- 2. The board: a volunteer sees health details of her own screenings only
-- ---------------------------------------------------------------------------------------------------------

-- board_buildings of 20261129001300, with the volunteer's view: a household counts as flagged for a volunteer only
-- if she flagged it (else it counts as reached, by how it was last reached), and a last screening by someone
-- else shows its outcome only when nobody was reached (null: reached, outcome withheld). Staff see it all, as
-- before. The same rule as public.board_households below, so the list and a building's page agree.
create or replace function public.board_buildings(p_unit text, p_round_id bigint default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
	v_round bigint := coalesce(p_round_id, private.round_on(p_unit, private.shanghai_day(now())));
	v_staff boolean := coalesce(private.is_personal_staff(), false);
	v_me uuid := auth.uid();
begin
	perform private.require_board_member();
	perform private.require_unit_in_scope(p_unit);
	if length(p_unit) < 9 then
		raise exception '摸排看板只在街道及以下使用' using errcode = 'invalid_parameter_value', hint = 'unit_too_large';
	end if;
	return (select coalesce(jsonb_agg(t order by t.grid_code, t.id), '[]'::jsonb) from (
	with hs as (
		select h.building_id,
			case
				when bool_or(s.outcome = 'flagged' and (v_staff or s.screened_by_user = v_me)) then 'flagged'
				when bool_or(s.outcome <> 'unreachable') then
					(array_agg(s.method order by s.screened_at desc) filter (where s.outcome <> 'unreachable'))[1]
				when count(s.id) > 0 then 'unreachable'
				else 'not_started' end as status
		from public.households h
		left join public.screenings s on s.household_id = h.id and s.round_id = v_round
		where h.grid_code >= p_unit and h.grid_code < p_unit || ':'
		group by h.id, h.building_id
	), per_building as (
		select hs.building_id, count(*)::int as households,
			count(*) filter (where hs.status in ('door', 'phone', 'flagged'))::int as reached,
			count(*) filter (where hs.status = 'door')::int as door,
			count(*) filter (where hs.status = 'phone')::int as phone,
			count(*) filter (where hs.status = 'unreachable')::int as unreachable,
			count(*) filter (where hs.status = 'flagged')::int as flagged,
			count(*) filter (where hs.status = 'not_started')::int as not_started
		from hs group by hs.building_id
	), last_screening as (
		select distinct on (h.building_id) h.building_id, s.screened_at, s.method,
			case when v_staff or s.screened_by_user = v_me or s.outcome = 'unreachable' then s.outcome end as outcome,
			private.name_for_caller(coalesce(v.name, m.display_name), s.screened_by_user) as screened_by
		from public.screenings s
		join public.households h on h.id = s.household_id
		left join public.volunteers v on v.id = s.screened_by_volunteer_id
		left join public.memberships m on m.user_id = s.screened_by_user
		where s.grid_code >= p_unit and s.grid_code < p_unit || ':' and s.round_id = v_round
		order by h.building_id, s.screened_at desc, s.id desc
	)
	select b.id, b.name, b.grid_code::text as grid_code, b.lon, b.lat, v_round as round_id,
		coalesce(p.households, 0) as households, coalesce(p.reached, 0) as reached, coalesce(p.door, 0) as door,
		coalesce(p.phone, 0) as phone, coalesce(p.unreachable, 0) as unreachable,
		coalesce(p.flagged, 0) as flagged, coalesce(p.not_started, 0) as not_started,
		case when coalesce(p.households, 0) = 0 then 'no_households'
			when p.flagged > 0 then 'flagged'
			else (array['not_started', 'unreachable', 'door', 'phone'])[
				(select o.i from unnest(array[p.not_started, p.unreachable, p.door, p.phone]) with ordinality as o(n, i)
				order by o.n desc, o.i limit 1)]
		end as status,
		ls.screened_at as last_screened_at, ls.method as last_method, ls.outcome as last_outcome,
		ls.screened_by as last_screened_by,
		(select private.claim_json(c) from public.building_claims c
			where c.building_id = b.id and c.round_id = v_round and c.released_at is null and c.expires_at > now()
			order by c.claimed_at desc limit 1) as claim
	from public.buildings b
	left join per_building p on p.building_id = b.id
	left join last_screening ls on ls.building_id = b.id
	where b.grid_code >= p_unit and b.grid_code < p_unit || ':'
	) t);
end $$;

-- board_households of 20261129001300, for a volunteer: each household's room and size, no head or phone; every
-- screening's time, method and screener (masked), its outcome only when nobody was reached or she recorded it,
-- flags and note only of her own. For staff as before (heads in full, phones masked, everything screened), and
-- the read is audited (read_personal, the building's households). Volatile now: it writes the audit row.
-- Errors (HINT): not_allowed, building_not_found (or outside the caller's unit).
create or replace function public.board_households(p_building_id bigint, p_round_id bigint default null)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
	v_building public.buildings;
	v_round bigint;
	v_staff boolean := coalesce(private.is_personal_staff(), false);
	v_me uuid := auth.uid();
	v_result jsonb;
begin
	perform private.require_board_member();
	select * into v_building from public.buildings b where b.id = p_building_id;
	if v_building.id is null or not coalesce(private.in_scope(v_building.grid_code), false) then
		raise exception '找不到该楼栋' using errcode = 'no_data_found', hint = 'building_not_found';
	end if;
	v_round := coalesce(p_round_id, private.round_on(v_building.grid_code, private.shanghai_day(now())));
	v_result := jsonb_build_object(
		'building', jsonb_build_object('id', v_building.id, 'name', v_building.name,
			'grid_code', v_building.grid_code, 'community_code', v_building.community_code,
			'lon', v_building.lon, 'lat', v_building.lat, 'floors', v_building.floors),
		'round_id', v_round,
		'claim', (select private.claim_json(c) from public.building_claims c
			where c.building_id = v_building.id and c.round_id = v_round and c.released_at is null
				and c.expires_at > now()
			order by c.claimed_at desc limit 1),
		'households', (select coalesce(jsonb_agg(jsonb_build_object(
				'id', h.id, 'room', h.room,
				'head_name', case when v_staff then h.head_name end,
				'phone_masked', case when v_staff then h.phone_masked end,
				'members', h.members,
				'screenings', (select coalesce(jsonb_agg(jsonb_build_object(
						'at', s.screened_at, 'method', s.method,
						'outcome', case when v_staff or s.screened_by_user = v_me or s.outcome = 'unreachable'
							then s.outcome end,
						'flags', case when v_staff or s.screened_by_user = v_me then s.flags else '{}'::text[] end,
						'note', case when v_staff or s.screened_by_user = v_me then s.note end,
						'by', private.name_for_caller(coalesce(v.name, m.display_name), s.screened_by_user))
						order by s.screened_at desc, s.id desc), '[]'::jsonb)
					from public.screenings s
					left join public.volunteers v on v.id = s.screened_by_volunteer_id
					left join public.memberships m on m.user_id = s.screened_by_user
					where s.household_id = h.id and s.round_id = v_round))
				order by h.id), '[]'::jsonb)
			from public.households h where h.building_id = v_building.id)
	);
	if v_staff then
		perform private.audit_personal_read('households', v_building.grid_code, v_building.id, '查看楼栋住户',
			jsonb_build_object('households', jsonb_array_length(v_result -> 'households'), 'round_id', v_round));
	end if;
	return v_result;
end $$;

-- ---------------------------------------------------------------------------------------------------------
-- 3. Audited bulk reads of personal rows
-- ---------------------------------------------------------------------------------------------------------

-- Writes a read_personal row for a bulk read of personal rows by the caller, unless the same read (table, unit,
-- record) by the same person is on record from the last 15 minutes. Definer: members cannot write the log.
create function private.audit_personal_read(p_table text, p_unit text, p_record_id bigint, p_purpose text,
	p_detail jsonb default '{}')
returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
	if auth.uid() is null then
		return;
	end if;
	if exists (select 1 from public.audit_log a
		where a.unit_code = p_unit and a.at > now() - interval '15 minutes' and a.user_id = auth.uid()
			and a.action = 'read_personal' and a.table_name = p_table and a.record_id is not distinct from p_record_id) then
		return;
	end if;
	insert into public.audit_log (user_id, unit_code, action, table_name, record_id, purpose, detail)
	values (auth.uid(), p_unit, 'read_personal', p_table, p_record_id, p_purpose, coalesce(p_detail, '{}'));
end $$;

-- Personal columns are read through the audited functions, not straight from the tables: a resident's name,
-- groups, needs and masked numbers (care_registry), a household's head and masked phone (board_households,
-- households_not_rescreened; exports through export_unit). Ids, grids, rooms and sizes stay selectable, for
-- counts, joins and a new row's id.
revoke select on public.residents from authenticated;
grant select (id, household_id, grid_code, created_at) on public.residents to authenticated;
revoke select on public.households from authenticated;
grant select (id, building_id, grid_code, community_code, room, members, created_at) on public.households
	to authenticated;

-- The special-group registry of a unit for community and street staff, newest first, phones and ID numbers
-- masked, each resident with their household's room and building; audited as read_personal (detail: rows).
-- Errors (HINT): not_allowed, outside_scope.
create function public.care_registry(p_unit text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
	v_rows jsonb;
begin
	if not coalesce(private.is_personal_staff(), false) then
		raise exception '只有社区书记和街道指挥长可以查看特殊人群名册'
			using errcode = 'insufficient_privilege', hint = 'not_allowed';
	end if;
	perform private.require_unit_in_scope(p_unit);
	select coalesce(jsonb_agg(jsonb_build_object(
			'id', r.id, 'household_id', r.household_id, 'grid_code', r.grid_code, 'name', r.name,
			'gender', r.gender, 'birth_year', r.birth_year, 'id_number_masked', r.id_number_masked,
			'phone_masked', r.phone_masked, 'special_groups', r.special_groups, 'needs', r.needs,
			'isolation_until', r.isolation_until, 'note', r.note,
			'household', jsonb_build_object('room', h.room, 'building', jsonb_build_object('id', b.id, 'name', b.name)))
			order by r.id desc), '[]'::jsonb)
	into v_rows
	from public.residents r
	join public.households h on h.id = r.household_id
	join public.buildings b on b.id = h.building_id
	where r.grid_code >= p_unit and r.grid_code < p_unit || ':';
	perform private.audit_personal_read('residents', p_unit, null, '查看特殊人群名册',
		jsonb_build_object('rows', jsonb_array_length(v_rows)));
	return v_rows;
end $$;

-- households_not_rescreened of 20261129001300, unchanged but for the audit row (read_personal: the households
-- listed with their heads and masked phones) and the count of those never reached (never). Volatile now: it
-- writes the row.
-- Errors (HINT): not_allowed, outside_scope, bad_days.
create or replace function public.households_not_rescreened(p_unit text, p_days int, p_as_of date default null,
	p_limit int default 300)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
	v_as_of date := coalesce(p_as_of, private.shanghai_day(now()));
	v_result jsonb;
begin
	if not coalesce(private.is_personal_staff(), false) then
		raise exception '只有社区书记和街道指挥长可以查看住户名单' using errcode = 'insufficient_privilege', hint = 'not_allowed';
	end if;
	perform private.require_unit_in_scope(p_unit);
	if p_days is null or p_days not between 1 and 60 then
		raise exception '天数须在 1 到 60 之间' using errcode = 'invalid_parameter_value', hint = 'bad_days';
	end if;
	perform private.check_day(p_unit, v_as_of);
	v_result := (
	with hh as (
		select h.id, h.building_id, h.grid_code, h.room, h.head_name, h.phone_masked,
			(select max(d) from unnest(st.days) as d where d <= v_as_of) as last_day
		from public.households h
		left join private.household_screening_state st on st.household_id = h.id
		where h.grid_code >= p_unit and h.grid_code < p_unit || ':'
	), stale as (
		select * from hh where hh.last_day is null or hh.last_day <= v_as_of - p_days
	)
	select jsonb_build_object(
		'as_of', v_as_of, 'days', p_days,
		'total', (select count(*) from stale),
		-- Of them, never reached (before the as-of day): the board says how many, as the KPI panel does.
		'never', (select count(*) from stale where stale.last_day is null),
		'households', (select coalesce(jsonb_agg(x order by x.last_day nulls first, x.id), '[]'::jsonb) from (
			select s.id, s.building_id, b.name as building_name, s.grid_code::text as grid_code, s.room, s.head_name,
				s.phone_masked, s.last_day
			from stale s join public.buildings b on b.id = s.building_id
			order by s.last_day nulls first, s.id
			limit greatest(coalesce(p_limit, 300), 0)) x),
		'buildings', (select coalesce(jsonb_agg(y order by y.id), '[]'::jsonb) from (
			select b.id, b.name, b.grid_code::text as grid_code, b.lon, b.lat, count(*)::int as stale,
				(select count(*)::int from public.households h2 where h2.building_id = b.id) as households,
				min(s.last_day) as oldest_day
			from stale s join public.buildings b on b.id = s.building_id
			group by b.id) y)
	));
	perform private.audit_personal_read('households', p_unit, null, '查看未复摸排住户名单',
		jsonb_build_object('rows', jsonb_array_length(v_result -> 'households'), 'days', p_days, 'as_of', v_as_of));
	return v_result;
end $$;

revoke execute on function private.audit_personal_read(text, text, bigint, text, jsonb) from public, anon, authenticated;
revoke execute on function public.care_registry(text) from public, anon;
grant execute on function public.care_registry(text) to authenticated;

-- ---------------------------------------------------------------------------------------------------------
-- 3 (continued). The briefing's downloads
-- ---------------------------------------------------------------------------------------------------------

-- Records a download of the daily briefing (PDF or Excel) as an export, for those who may read the briefing
-- (public.daily_briefing's rule). The download's endpoint calls it before it makes the file, from a POST (a form
-- on the briefing page), so no other site can make a browser write these rows.
-- Errors (HINT): not_allowed, outside_scope, invalid_download.
create function public.audit_briefing_download(p_unit text, p_as_of date, p_format text) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
	perform private.require_leader_view(p_unit);
	if p_as_of is null or p_format is null or p_format not in ('pdf', 'xlsx') then
		raise exception '下载的日期或格式无效' using errcode = 'invalid_parameter_value', hint = 'invalid_download';
	end if;
	insert into public.audit_log (user_id, unit_code, action, table_name, purpose, detail)
	values (auth.uid(), p_unit, 'export', 'briefing', '下载每日简报',
		jsonb_build_object('as_of', p_as_of, 'format', p_format));
end $$;
revoke execute on function public.audit_briefing_download(text, date, text) from public, anon;
grant execute on function public.audit_briefing_download(text, date, text) to authenticated;

-- ---------------------------------------------------------------------------------------------------------
-- 4. EXECUTE, final state
-- ---------------------------------------------------------------------------------------------------------

-- Definer helpers that only other definer functions and triggers call (they run as the owner): no member needs
-- EXECUTE on them. Among them the counters' writers and rebuild, and aggregates that check no scope. The first
-- four were revoked where they were created (20261129001000, …1010, …1400) and given back by a later
-- `grant execute on all functions in schema private`; the others never were revoked.
revoke execute on function
	private.rebuild_coverage_counters(),
	private.leads_as_of(text, timestamptz),
	private.served_shifts(text, timestamptz),
	private.require_leader_view(text),
	private.require_scope(text),
	private.may_edit_community(text),
	private.apply_screening_state(text, date[], bigint[], date[], int),
	private.bump_grid_screenings_daily(text, timestamptz, text, text, int),
	private.refresh_household_screening(bigint),
	private.covered_by_child(text, int, date, bigint, int),
	private.lost_by_child(text, int, date, int)
from public, anon, authenticated;
