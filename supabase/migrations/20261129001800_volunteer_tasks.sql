-- A volunteer's tasks (issue #5): the service requests and leads assigned to them, with what they need to do the
-- work (where, for whom, by when) and no more; they move their own requests on (start, done).
--
-- Volunteers read no residents or households (RLS: staff only), so the list is a definer function that shows
-- the calling volunteer only what is assigned to them: the resident's name masked (张*), the building and room,
-- the phone masked. Staff reveal a full number if the volunteer needs it (public.reveal_phone, audited).

-- The calling volunteer's open and recent tasks: {requests: [...], leads: [...]}. Requests: not done or
-- cancelled, or closed in the last 3 days (so a volunteer sees what they just finished); leads: assigned to them
-- and not closed or dismissed. Anyone who is not a volunteer with a volunteer record is refused.
create function public.my_tasks() returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
	v_volunteer bigint := private.my_volunteer_id();
begin
	if v_volunteer is null or private.my_role() is distinct from 'volunteer' then
		raise exception '只有志愿者有自己的任务列表' using errcode = 'insufficient_privilege', hint = 'not_volunteer';
	end if;
	return jsonb_build_object(
		'requests', (
			select coalesce(jsonb_agg(jsonb_build_object(
				'id', sr.id, 'kind', sr.kind, 'status', sr.status, 'detail', sr.detail, 'due_at', sr.due_at,
				'created_at', sr.created_at, 'done_at', sr.done_at,
				'resident', private.mask_name(r.name), 'phone_masked', r.phone_masked,
				'building', b.name, 'room', h.room, 'grid', g.name
			) order by (sr.status in ('done', 'cancelled')), sr.due_at nulls last, sr.id), '[]')
			from public.service_requests sr
			join public.residents r on r.id = sr.resident_id
			join public.households h on h.id = r.household_id
			join public.buildings b on b.id = h.building_id
			join public.units g on g.code = sr.grid_code
			where sr.assigned_volunteer_id = v_volunteer
				and (sr.status not in ('done', 'cancelled')
					or coalesce(sr.done_at, sr.created_at) > now() - interval '3 days')
		),
		'leads', (
			select coalesce(jsonb_agg(jsonb_build_object(
				'id', l.id, 'title', l.title, 'kind', l.kind, 'status', l.status, 'deadline', l.deadline,
				'grid', g.name
			) order by l.deadline nulls last, l.id), '[]')
			from public.leads l
			join public.units g on g.code = l.grid_code
			where l.assigned_volunteer_id = v_volunteer and l.status not in ('closed', 'dismissed')
		)
	);
end $$;
revoke execute on function public.my_tasks() from public, anon;
grant execute on function public.my_tasks() to authenticated;

-- A request's status as the care screen names it.
create function private.request_status_name(p text) returns text
language sql immutable set search_path = '' as $$
	select case p when 'open' then '待指派' when 'assigned' then '已指派' when 'in_progress' then '服务中'
		when 'done' then '已完成' when 'cancelled' then '已取消' else coalesce(p, '（空）') end
$$;
grant execute on function private.request_status_name(text) to authenticated, service_role;

-- A volunteer moves a request assigned to them: assigned → in_progress, assigned or in_progress → done. Anything
-- else (another volunteer's request, a cancelled one, a step back) is refused with a Chinese message.
-- Hints: not_volunteer, request_not_found, request_step_not_allowed.
create function public.update_my_request(p_request_id bigint, p_status text) returns void
language plpgsql security definer set search_path = '' as $$
declare
	v_volunteer bigint := private.my_volunteer_id();
	v_status text;
begin
	if v_volunteer is null or private.my_role() is distinct from 'volunteer' then
		raise exception '只有志愿者可以更新自己的任务' using errcode = 'insufficient_privilege', hint = 'not_volunteer';
	end if;
	select sr.status into v_status from public.service_requests sr
	where sr.id = p_request_id and sr.assigned_volunteer_id = v_volunteer
	for update;
	if v_status is null then
		raise exception '找不到该任务，或它没有分派给你' using errcode = 'no_data_found', hint = 'request_not_found';
	end if;
	if (v_status, p_status) not in (('assigned', 'in_progress'), ('assigned', 'done'), ('in_progress', 'done')) then
		raise exception '任务不能从「%」改为「%」', private.request_status_name(v_status),
			private.request_status_name(p_status)
			using errcode = 'check_violation', hint = 'request_step_not_allowed';
	end if;
	update public.service_requests set status = p_status where id = p_request_id;
end $$;
revoke execute on function public.update_my_request(bigint, text) from public, anon;
grant execute on function public.update_my_request(bigint, text) to authenticated;
