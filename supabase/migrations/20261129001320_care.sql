-- Special groups and service requests (issue #5): a resident's grid is their household's and a request's grid
-- its resident's, whatever the client sent; a request's done time follows its status; ID numbers are revealed
-- only through an audited call, like phones (public.reveal_phone, 20261129000800); an export of the registry
-- holds what the caller's role may see and writes an audit row in the same transaction.

-- A resident lives in their household's grid; a service request belongs to its resident's grid. Definer: the
-- household or resident may be one the caller cannot read, and then the insert policy refuses the row.
create function private.residents_grid() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
	select h.grid_code into new.grid_code from public.households h where h.id = new.household_id;
	if new.grid_code is null then
		raise exception '找不到该住户' using errcode = 'foreign_key_violation', hint = 'household_not_found';
	end if;
	return new;
end $$;
create trigger residents_grid before insert or update of household_id, grid_code on public.residents
	for each row execute function private.residents_grid();

create function private.service_requests_rules() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
	if tg_op = 'INSERT' or new.resident_id is distinct from old.resident_id or new.grid_code is distinct from old.grid_code then
		select r.grid_code into new.grid_code from public.residents r where r.id = new.resident_id;
		if new.grid_code is null then
			raise exception '找不到该居民' using errcode = 'foreign_key_violation', hint = 'resident_not_found';
		end if;
	end if;
	if new.status = 'done' then
		new.done_at := coalesce(case when tg_op = 'UPDATE' and old.status = 'done' then old.done_at end, now());
	else
		new.done_at := null;
	end if;
	if new.status in ('assigned', 'in_progress') and new.assigned_volunteer_id is null then
		raise exception '请先指定服务人员' using errcode = 'check_violation', hint = 'request_needs_assignee';
	end if;
	return new;
end $$;
create trigger service_requests_rules before insert or update on public.service_requests
	for each row execute function private.service_requests_rules();

grant execute on all functions in schema private to authenticated, service_role;

-- Reveals a special-group resident's full ID number to community and street staff of the resident's unit, and
-- records who, which resident, why and when. Like reveal_phone: definer (the column is not selectable), so it
-- checks role and scope itself; a resident outside the caller's unit is "not found".
create function public.reveal_id_number(p_resident_id bigint, p_purpose text) returns text
language plpgsql security definer set search_path = '' as $$
declare
	v_unit text;
	v_id_number text;
begin
	if p_purpose is null or length(trim(p_purpose)) < 2 then
		raise exception '查看完整证件号需要填写用途' using errcode = 'check_violation', hint = 'purpose_required';
	end if;
	if not coalesce(private.is_personal_staff(), false) then
		raise exception '无权查看个人信息' using errcode = 'insufficient_privilege', hint = 'not_allowed';
	end if;
	select r.grid_code, r.id_number into v_unit, v_id_number from public.residents r where r.id = p_resident_id;
	if v_unit is null or not private.in_scope(v_unit) then
		raise exception '记录不存在或无权查看' using errcode = 'no_data_found', hint = 'not_found';
	end if;
	insert into public.audit_log (user_id, unit_code, action, table_name, record_id, purpose)
	values (auth.uid(), v_unit, 'reveal_id_number', 'residents', p_resident_id, trim(p_purpose));
	return v_id_number;
end $$;

-- The special-group registry of a unit as an export, with an audit row (who, unit, purpose, how many rows).
-- Community and street staff get one row per resident with phones and ID numbers masked (what their screens
-- show); anyone else in scope (leaders) gets counts per grid and group only, with counts of 1–2 withheld: no
-- names, phones or ID numbers. Errors (HINT): purpose_required, outside_scope.
create function public.export_special_groups(p_unit text, p_purpose text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
	v_staff boolean := coalesce(private.is_personal_staff(), false);
	v_rows jsonb;
begin
	if p_purpose is null or length(trim(p_purpose)) < 2 then
		raise exception '导出需要填写用途' using errcode = 'check_violation', hint = 'purpose_required';
	end if;
	perform private.require_unit_in_scope(p_unit);
	if v_staff then
		select coalesce(jsonb_agg(jsonb_build_object(
				'grid', g.name, 'building', b.name, 'room', h.room, 'name', r.name, 'gender', r.gender,
				'birth_year', r.birth_year, 'special_groups', r.special_groups, 'needs', r.needs,
				'phone_masked', r.phone_masked, 'id_number_masked', r.id_number_masked,
				'isolation_until', r.isolation_until)
				order by r.grid_code, b.id, h.room, r.id), '[]'::jsonb)
		into v_rows
		from public.residents r
		join public.households h on h.id = r.household_id
		join public.buildings b on b.id = h.building_id
		join public.units g on g.code = r.grid_code
		where r.grid_code >= p_unit and r.grid_code < p_unit || ':';
	else
		select coalesce(jsonb_agg(jsonb_build_object('grid', u.name, 'special_group', c.grp,
				'residents', private.suppress_small(c.n, true)) order by c.grid_code, c.grp), '[]'::jsonb)
		into v_rows
		from (
			select r.grid_code, g.grp, count(*) as n
			from public.residents r, unnest(r.special_groups) as g(grp)
			where r.grid_code >= p_unit and r.grid_code < p_unit || ':'
			group by 1, 2
		) c
		join public.units u on u.code = c.grid_code;
	end if;
	insert into public.audit_log (user_id, unit_code, action, table_name, purpose, detail)
	values (auth.uid(), p_unit, 'export', 'residents', trim(p_purpose),
		jsonb_build_object('rows', jsonb_array_length(v_rows), 'shape', case when v_staff then 'masked_rows' else 'counts' end));
	return jsonb_build_object('shape', case when v_staff then 'masked_rows' else 'counts' end, 'rows', v_rows);
end $$;

revoke execute on function public.reveal_id_number(bigint, text), public.export_special_groups(text, text)
	from public, anon;
grant execute on function public.reveal_id_number(bigint, text), public.export_special_groups(text, text)
	to authenticated;
