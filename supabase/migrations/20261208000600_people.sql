-- People (issue #16): who may give whom which role where, and the audit of every change. Accounts themselves
-- are made and locked by the app's server through Supabase's auth admin API (service role); memberships, the
-- only source of a person's role and unit, are written only here, so a direct PostgREST call obeys the same
-- rules as the screens:
--   an administrator (admin) manages people at or below their unit, in any role up to their own;
--   a street commander manages commanders, secretaries and volunteers of their street;
--   a community secretary manages secretaries and volunteers of their community;
--   a role goes with a unit of its level: leaders and administrators a city or district (admins also a street
--   or community), commanders a street, secretaries and volunteers a community;
--   nobody changes their own membership; the service role (the operator's `npm run admin`) may do anything.
-- Every change is an audit entry ('member'), readable by the administrators above it.
-- Refusals (HINT): not_allowed, outside_scope, bad_role, bad_unit, bad_name, member_exists, member_not_found,
--   own_membership.

-- Rank of a role: nobody grants above their own.
create function private.role_rank(p_role text) returns int
language sql immutable set search_path = '' as $$
	select case p_role when 'volunteer' then 1 when 'secretary' then 2 when 'commander' then 3
		when 'leader' then 4 when 'admin' then 5 end
$$;

-- The unit levels a role may hold.
create function private.role_fits_level(p_role text, p_level text) returns boolean
language sql immutable set search_path = '' as $$
	select case p_role
		when 'admin' then p_level in ('city', 'district', 'street', 'community')
		when 'leader' then p_level in ('city', 'district')
		when 'commander' then p_level = 'street'
		when 'secretary' then p_level = 'community'
		when 'volunteer' then p_level = 'community'
		else false end
$$;

-- Refuses unless the caller may give p_role at p_unit (see the header); the service role always may.
create function private.check_grant(p_role text, p_unit text) returns void
language plpgsql stable security definer set search_path = '' as $$
declare
	v_mine text := private.my_role();
	v_level text;
begin
	if private.role_rank(p_role) is null then
		raise exception '没有这种角色：%', coalesce(p_role, '(空)') using errcode = 'invalid_parameter_value', hint = 'bad_role';
	end if;
	select u.level into v_level from public.units u where u.code = p_unit;
	if v_level is null or not private.role_fits_level(p_role, v_level) then
		raise exception '角色与单位级别不符：%', coalesce(p_unit, '(空)')
			using errcode = 'invalid_parameter_value', hint = 'bad_unit';
	end if;
	if (select auth.role()) = 'service_role' then
		return;
	end if;
	if v_mine is null or v_mine not in ('admin', 'commander', 'secretary')
		or (v_mine = 'commander' and p_role not in ('commander', 'secretary', 'volunteer'))
		or (v_mine = 'secretary' and p_role not in ('secretary', 'volunteer'))
		or private.role_rank(p_role) > private.role_rank(v_mine) then
		raise exception '无权授予该角色' using errcode = 'insufficient_privilege', hint = 'not_allowed';
	end if;
	if not coalesce(private.in_scope(p_unit), false) then
		raise exception '只能在本单位及下级单位授予角色' using errcode = 'insufficient_privilege', hint = 'outside_scope';
	end if;
end;
$$;

-- The membership of p_user_id, locked, if the caller may manage that person (their unit in scope, their role
-- not above the caller's, not the caller).
create function private.managed_member(p_user_id uuid) returns public.memberships
language plpgsql volatile security definer set search_path = '' as $$
declare
	v_row public.memberships;
begin
	select * into v_row from public.memberships m where m.user_id = p_user_id for update;
	if v_row.user_id is null then
		raise exception '找不到此人' using errcode = 'no_data_found', hint = 'member_not_found';
	end if;
	if (select auth.role()) = 'service_role' then
		return v_row;
	end if;
	if p_user_id = (select auth.uid()) then
		raise exception '不能更改自己的角色或状态' using errcode = 'insufficient_privilege', hint = 'own_membership';
	end if;
	perform private.check_grant(v_row.role, v_row.unit_code);
	return v_row;
end;
$$;

create function private.audit_member(p_user_id uuid, p_unit text, p_op text, p_detail jsonb) returns void
language sql volatile security definer set search_path = '' as $$
	insert into public.audit_log (user_id, unit_code, action, table_name, purpose, detail)
	values ((select auth.uid()), p_unit, 'member', 'memberships', p_op,
		jsonb_build_object('member', p_user_id) || p_detail)
$$;

-- Gives an account (made by the server through the auth admin API) its role and unit.
create function public.add_member(p_user_id uuid, p_role text, p_unit text, p_display_name text)
returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
	perform private.check_grant(p_role, p_unit);
	if length(btrim(coalesce(p_display_name, ''))) not between 1 and 60 then
		raise exception '姓名须为 1 到 60 个字' using errcode = 'invalid_parameter_value', hint = 'bad_name';
	end if;
	if not exists (select 1 from auth.users u where u.id = p_user_id) then
		raise exception '找不到此账号' using errcode = 'no_data_found', hint = 'member_not_found';
	end if;
	if exists (select 1 from public.memberships m where m.user_id = p_user_id) then
		raise exception '此账号已有角色' using errcode = 'unique_violation', hint = 'member_exists';
	end if;
	insert into public.memberships (user_id, role, unit_code, display_name)
	values (p_user_id, p_role, p_unit, btrim(p_display_name));
	perform private.audit_member(p_user_id, p_unit, '新建账号',
		jsonb_build_object('role', p_role, 'unit', p_unit));
end;
$$;

-- Moves a person to another role or unit; both the old and the new must be the caller's to give.
create function public.change_member(p_user_id uuid, p_role text, p_unit text) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
	v_old public.memberships := private.managed_member(p_user_id);
begin
	perform private.check_grant(p_role, p_unit);
	if v_old.role = p_role and v_old.unit_code = p_unit then
		return;
	end if;
	update public.memberships set role = p_role, unit_code = p_unit where user_id = p_user_id;
	perform private.audit_member(p_user_id, p_unit, '更改角色或单位', jsonb_build_object(
		'from', jsonb_build_object('role', v_old.role, 'unit', v_old.unit_code),
		'to', jsonb_build_object('role', p_role, 'unit', p_unit)));
end;
$$;

-- Deactivates or reactivates a person. The server also bans or unbans the account (no sign-in, no refresh);
-- from this commit on the person holds no role or unit, so a token they still carry reads nothing.
create function public.set_member_active(p_user_id uuid, p_active boolean, p_reason text) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
	v_old public.memberships := private.managed_member(p_user_id);
begin
	if p_active is null then
		raise exception '请说明停用还是启用' using errcode = 'invalid_parameter_value', hint = 'bad_state';
	end if;
	if length(btrim(coalesce(p_reason, ''))) not between 2 and 200 then
		raise exception '请写明原因（2 到 200 个字）' using errcode = 'invalid_parameter_value', hint = 'reason_missing';
	end if;
	if (v_old.deactivated_at is null) = p_active then
		return;
	end if;
	update public.memberships set deactivated_at = case when p_active then null else now() end
	where user_id = p_user_id;
	perform private.audit_member(p_user_id, v_old.unit_code, case when p_active then '启用账号' else '停用账号' end,
		jsonb_build_object('reason', btrim(p_reason)));
end;
$$;

-- Records a password reset the server made (the person sets their own at the next sign-in).
create function public.audit_password_reset(p_user_id uuid) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
	v_old public.memberships := private.managed_member(p_user_id);
begin
	perform private.audit_member(p_user_id, v_old.unit_code, '重置密码', '{}'::jsonb);
end;
$$;

-- The people of a unit and below, for those who manage them: name, role, unit, login, masked phone, state.
create function public.unit_members(p_unit text)
returns table (user_id uuid, display_name text, role text, unit_code text, unit_name text, login text,
	phone text, active boolean, created_at timestamptz)
language plpgsql stable security definer set search_path = '' as $$
begin
	if private.my_role() is null or private.my_role() not in ('admin', 'commander', 'secretary')
		or not coalesce(private.in_scope(p_unit), false) then
		raise exception '无权查看该单位的人员' using errcode = 'insufficient_privilege', hint = 'not_allowed';
	end if;
	return query
	select m.user_id, m.display_name, m.role, m.unit_code, un.name, coalesce(u.email, '')::text,
		private.mask_phone(u.phone), m.deactivated_at is null, m.created_at
	from public.memberships m
	join public.units un on un.code = m.unit_code
	join auth.users u on u.id = m.user_id
	where m.unit_code >= p_unit and m.unit_code < p_unit || ':'
		and private.role_rank(m.role) <= private.role_rank(private.my_role())
	order by m.unit_code, private.role_rank(m.role) desc, m.display_name;
end;
$$;

-- Administrators read the membership changes of their unit and below.
create policy "Administrators read the people changes of their unit"
	on public.audit_log for select to authenticated
	using (action in ('member', 'units') and (select private.my_role()) = 'admin'
		and unit_code >= (select private.scope_lo()) and unit_code < (select private.scope_hi()));

revoke execute on function private.role_rank(text), private.role_fits_level(text, text),
	private.check_grant(text, text), private.managed_member(uuid), private.audit_member(uuid, text, text, jsonb)
	from public, anon, authenticated;
revoke execute on function public.add_member(uuid, text, text, text), public.change_member(uuid, text, text),
	public.set_member_active(uuid, boolean, text), public.audit_password_reset(uuid), public.unit_members(text)
	from public, anon;
grant execute on function public.add_member(uuid, text, text, text), public.change_member(uuid, text, text),
	public.set_member_active(uuid, boolean, text), public.audit_password_reset(uuid), public.unit_members(text)
	to authenticated, service_role;
