-- Volunteers imported from a spreadsheet, and the roster exported to one (issue #4).
--
-- An import either lands whole or not at all, and the same file imported twice changes nothing the second
-- time: a volunteer is known by their phone number (one person, one record, whichever community lends them),
-- so a row whose phone is on record updates that volunteer where it differs and is otherwise left alone.
-- The app reads the file, maps its columns and checks the formats (src/lib/domain/volunteer-import.ts); this
-- function checks every row again, resolves names to ids within the caller's unit and writes in one
-- transaction, or reports every row's errors and writes nothing.

-- The natural key of an import. Phones are stored as digits (mobile) or with the area code (landline) and
-- the seed's are unique; a second record for one phone would make "the same person" undecidable.
create unique index volunteers_phone_key on public.volunteers (phone);

-- Imports volunteers. p_rows: a JSON array of objects, one per spreadsheet row:
--   row (the row number people see in the file, for messages), name, phone (digits, or 0830-1234567),
--   community (a community's code or name; empty: the caller's community if the caller is a secretary),
--   organisation, team (names; a team alone implies its organisation), kind (volunteer, grid_worker,
--   social_worker, medical, party_member), skills (array of text), joined_on (YYYY-MM-DD),
--   home_lon, home_lat (WGS-84, both or neither).
-- An empty or missing optional field keeps what is on record (an import never clears a value).
-- Names resolve within reach of the home community: a community of the caller's unit; an organisation or team
-- whose unit is the home community or one above it (the incubation platforms that cover it).
-- Returns {"written": bool, "inserted": n, "updated": n, "unchanged": n, "errors": [{row, field, message}]};
-- with any error, or with p_dry_run, nothing is written. Callers: community and street staff (HINT not_allowed
-- otherwise); at most 5,000 rows (HINT too_many_rows).
create function public.import_volunteers(p_rows jsonb, p_dry_run boolean default false)
returns jsonb
-- Definer: phone is not selectable by members, and matching on it is the point. Scope is checked row by row.
language plpgsql volatile security definer set search_path = '' as $$
declare
	v_unit text := private.my_unit();
	v_errors jsonb := '[]'::jsonb;
	v_row jsonb;
	v_n int;
	v_line int;
	v_name text;
	v_phone text;
	v_community text;
	v_org_name text;
	v_team_name text;
	v_org bigint;
	v_team bigint;
	v_team_org bigint;
	v_kind text;
	v_skills text[];
	v_joined date;
	v_lon double precision;
	v_lat double precision;
	v_id bigint;
	v_old_home text;
	v_target record;
	v_count int;
	v_inserted int := 0;
	v_updated int := 0;
	v_unchanged int := 0;
	v_seen jsonb := '{}'::jsonb;
	v_plan jsonb := '[]'::jsonb;
	v_item jsonb;
begin
	perform private.require_roster_staff();
	if jsonb_typeof(p_rows) is distinct from 'array' then
		raise exception '导入数据须为行的数组' using errcode = 'invalid_parameter_value', hint = 'invalid_rows';
	end if;
	v_n := jsonb_array_length(p_rows);
	if v_n > 5000 then
		raise exception '一次最多导入5000行（本次%行）', v_n using errcode = 'invalid_parameter_value', hint = 'too_many_rows';
	end if;

	for i in 0 .. v_n - 1 loop
		v_row := p_rows -> i;
		v_line := coalesce((v_row ->> 'row')::int, i + 2);
		v_org := null;
		v_team := null;
		v_id := null;
		v_old_home := null;

		-- name
		v_name := nullif(btrim(v_row ->> 'name'), '');
		if v_name is null then
			v_errors := v_errors || jsonb_build_object('row', v_line, 'field', 'name', 'message', '缺少姓名');
		elsif char_length(v_name) > 40 then
			v_errors := v_errors || jsonb_build_object('row', v_line, 'field', 'name', 'message', '姓名超过40个字');
		end if;

		-- phone: the key
		v_phone := nullif(btrim(v_row ->> 'phone'), '');
		if v_phone is null then
			v_errors := v_errors || jsonb_build_object('row', v_line, 'field', 'phone', 'message', '缺少手机号');
		elsif not private.is_valid_phone(v_phone) then
			v_errors := v_errors || jsonb_build_object('row', v_line, 'field', 'phone',
				'message', format('手机号格式不正确：%s', v_phone));
			v_phone := null;
		elsif v_seen ? v_phone then
			v_errors := v_errors || jsonb_build_object('row', v_line, 'field', 'phone',
				'message', format('手机号与第%s行重复', v_seen ->> v_phone));
			v_phone := null;
		else
			v_seen := v_seen || jsonb_build_object(v_phone, v_line);
			select v.id, v.home_unit_code into v_id, v_old_home from public.volunteers v where v.phone = v_phone;
			if v_id is not null and not coalesce(private.in_scope(v_old_home), false) then
				-- Told as little as needed: the number is taken, not by whom.
				v_errors := v_errors || jsonb_build_object('row', v_line, 'field', 'phone',
					'message', format('手机号%s已登记在其他单位的志愿者名下', private.mask_phone(v_phone)));
				v_id := null;
				v_old_home := null;
			end if;
		end if;

		-- home community: a code or a name within the caller's unit
		v_community := nullif(btrim(v_row ->> 'community'), '');
		if v_community is null then
			v_community := coalesce(v_old_home, case when length(v_unit) = 12 then v_unit end);
			if v_community is null then
				v_errors := v_errors || jsonb_build_object('row', v_line, 'field', 'community', 'message', '缺少所在社区');
			end if;
		elsif v_community ~ '^[0-9]{12}$' then
			if not exists (select 1 from public.units u where u.code = v_community and u.level = 'community')
				or not coalesce(private.in_scope(v_community), false) then
				v_errors := v_errors || jsonb_build_object('row', v_line, 'field', 'community',
					'message', format('社区%s不存在或不在你的管辖范围内', v_community));
				v_community := null;
			end if;
		else
			select count(*), min(u.code) into v_count, v_community from public.units u
			where u.level = 'community' and u.name = btrim(v_row ->> 'community')
				and u.code >= v_unit and u.code < v_unit || ':';
			if v_count <> 1 then
				v_errors := v_errors || jsonb_build_object('row', v_line, 'field', 'community',
					'message', format(case when v_count = 0 then '找不到社区：%s（须在你的管辖范围内）'
						else '社区名称不唯一：%s，请填写社区代码' end, btrim(v_row ->> 'community')));
				v_community := null;
			end if;
		end if;

		-- organisation and team, by name, among those whose platform covers the home community
		v_org_name := nullif(btrim(v_row ->> 'organisation'), '');
		v_team_name := nullif(btrim(v_row ->> 'team'), '');
		if v_org_name is not null and v_community is not null then
			select count(*), min(o.id) into v_count, v_org from public.organisations o
			where o.name = v_org_name and left(v_community, length(o.unit_code)) = o.unit_code;
			if v_count <> 1 then
				v_errors := v_errors || jsonb_build_object('row', v_line, 'field', 'organisation',
					'message', format(case when v_count = 0 then '找不到组织：%s（须是该社区或其上级的组织）'
						else '组织名称不唯一：%s' end, v_org_name));
				v_org := null;
			end if;
		end if;
		if v_team_name is not null and v_community is not null then
			select count(*), min(t.id), min(t.organisation_id) into v_count, v_team, v_team_org
			from public.volunteer_teams t
			where t.name = v_team_name and left(v_community, length(t.unit_code)) = t.unit_code
				and (v_org is null or t.organisation_id = v_org);
			if v_count <> 1 then
				v_errors := v_errors || jsonb_build_object('row', v_line, 'field', 'team',
					'message', format(case when v_count = 0 then '找不到队伍：%s（须属于所填组织，且是该社区或其上级的队伍）'
						else '队伍名称不唯一：%s，请同时填写所属组织' end, v_team_name));
				v_team := null;
			elsif v_org is null and v_org_name is null then
				v_org := v_team_org;
			end if;
		end if;

		-- kind, skills, joined_on, home location
		v_kind := nullif(btrim(v_row ->> 'kind'), '');
		if v_kind is not null and v_kind not in ('volunteer', 'grid_worker', 'social_worker', 'medical', 'party_member') then
			v_errors := v_errors || jsonb_build_object('row', v_line, 'field', 'kind',
				'message', format('人员类型不正确：%s', v_kind));
		end if;
		v_skills := null;
		if jsonb_typeof(v_row -> 'skills') = 'array' and jsonb_array_length(v_row -> 'skills') > 0 then
			select array_agg(distinct btrim(s) order by btrim(s)) into v_skills
			from jsonb_array_elements_text(v_row -> 'skills') s where btrim(s) <> '';
			if cardinality(v_skills) > 20 or exists (select 1 from unnest(v_skills) s where char_length(s) > 40) then
				v_errors := v_errors || jsonb_build_object('row', v_line, 'field', 'skills',
					'message', '技能最多20项，每项不超过40个字');
			end if;
		end if;
		v_joined := null;
		if nullif(btrim(v_row ->> 'joined_on'), '') is not null then
			if btrim(v_row ->> 'joined_on') !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then
				v_errors := v_errors || jsonb_build_object('row', v_line, 'field', 'joined_on',
					'message', format('日期格式不正确：%s', v_row ->> 'joined_on'));
			else
				begin
					v_joined := (v_row ->> 'joined_on')::date;
				exception when others then
					v_errors := v_errors || jsonb_build_object('row', v_line, 'field', 'joined_on',
						'message', format('日期不存在：%s', v_row ->> 'joined_on'));
				end;
			end if;
		end if;
		v_lon := null;
		v_lat := null;
		if (v_row -> 'home_lon') is not null and jsonb_typeof(v_row -> 'home_lon') <> 'null'
			or (v_row -> 'home_lat') is not null and jsonb_typeof(v_row -> 'home_lat') <> 'null' then
			if jsonb_typeof(v_row -> 'home_lon') = 'number' and jsonb_typeof(v_row -> 'home_lat') = 'number'
				and private.is_valid_lon_lat((v_row ->> 'home_lon')::double precision, (v_row ->> 'home_lat')::double precision) then
				v_lon := (v_row ->> 'home_lon')::double precision;
				v_lat := (v_row ->> 'home_lat')::double precision;
			else
				v_errors := v_errors || jsonb_build_object('row', v_line, 'field', 'home_lon',
					'message', '住址经纬度须同时填写，经度在-180到180之间，纬度在-90到90之间');
			end if;
		end if;

		v_plan := v_plan || jsonb_build_object('id', v_id, 'name', v_name, 'phone', v_phone,
			'community', v_community, 'organisation_id', v_org, 'team_id', v_team, 'kind', v_kind,
			'skills', to_jsonb(v_skills), 'joined_on', v_joined, 'home_lon', v_lon, 'home_lat', v_lat);
	end loop;

	if jsonb_array_length(v_errors) > 0 then
		return jsonb_build_object('written', false, 'inserted', 0, 'updated', 0, 'unchanged', 0, 'errors', v_errors);
	end if;

	-- Every row is valid: count (and unless a dry run, write) what changes.
	for v_item in select e from jsonb_array_elements(v_plan) e loop
		if v_item ->> 'id' is null then
			v_inserted := v_inserted + 1;
			if not coalesce(p_dry_run, false) then
				insert into public.volunteers (name, phone, home_unit_code, organisation_id, team_id, kind, skills,
					joined_on, home_lon, home_lat)
				values (v_item ->> 'name', v_item ->> 'phone', v_item ->> 'community',
					(v_item ->> 'organisation_id')::bigint, (v_item ->> 'team_id')::bigint,
					coalesce(v_item ->> 'kind', 'volunteer'),
					case when jsonb_typeof(v_item -> 'skills') = 'array'
						then array(select jsonb_array_elements_text(v_item -> 'skills')) else '{}' end,
					(v_item ->> 'joined_on')::date, (v_item ->> 'home_lon')::double precision,
					(v_item ->> 'home_lat')::double precision);
			end if;
		else
			with target as (
				select v.id, v.name as old_name, v.home_unit_code as old_home, v.organisation_id as old_org,
					v.team_id as old_team, v.kind as old_kind, v.skills as old_skills, v.joined_on as old_joined,
					v.home_lon as old_lon, v.home_lat as old_lat,
					v_item ->> 'name' as name, v_item ->> 'community' as home,
					coalesce((v_item ->> 'organisation_id')::bigint, v.organisation_id) as org,
					coalesce((v_item ->> 'team_id')::bigint, v.team_id) as team,
					coalesce(v_item ->> 'kind', v.kind) as kind,
					case when jsonb_typeof(v_item -> 'skills') = 'array'
						then array(select jsonb_array_elements_text(v_item -> 'skills') order by 1) else v.skills end as skills,
					coalesce((v_item ->> 'joined_on')::date, v.joined_on) as joined,
					coalesce((v_item ->> 'home_lon')::double precision, v.home_lon) as lon,
					coalesce((v_item ->> 'home_lat')::double precision, v.home_lat) as lat
				from public.volunteers v where v.id = (v_item ->> 'id')::bigint
			)
			select (t.name, t.home, t.org, t.team, t.kind, t.joined, t.lon, t.lat)
					is not distinct from (t.old_name, t.old_home, t.old_org, t.old_team, t.old_kind, t.old_joined, t.old_lon, t.old_lat)
				and (select array_agg(s order by s) from unnest(t.skills) s)
					is not distinct from (select array_agg(s order by s) from unnest(t.old_skills) s) as same,
				t.*
			into v_target from target t;
			if v_target.same then
				v_unchanged := v_unchanged + 1;
			else
				v_updated := v_updated + 1;
				if not coalesce(p_dry_run, false) then
					update public.volunteers v set name = v_target.name, home_unit_code = v_target.home,
						organisation_id = v_target.org, team_id = v_target.team, kind = v_target.kind,
						skills = v_target.skills, joined_on = v_target.joined, home_lon = v_target.lon,
						home_lat = v_target.lat
					where v.id = v_target.id;
				end if;
			end if;
		end if;
	end loop;

	return jsonb_build_object('written', not coalesce(p_dry_run, false) and v_inserted + v_updated > 0,
		'inserted', v_inserted, 'updated', v_updated, 'unchanged', v_unchanged, 'errors', '[]'::jsonb);
end $$;

-- The shifts of p_unit starting on days p_from to p_to (China Standard Time, at most 31 days), for the roster
-- spreadsheet, and an audit row saying who exported what (security checklist 22). Names of volunteers living
-- outside the caller's unit come masked, as in roster_day. Rows: checkpoint and community, volunteer name,
-- kind, organisation and team, masked phone, start and end, status, lent; ordered by checkpoint and time.
-- Errors (HINT): not_allowed, outside_scope, invalid_period.
create function public.roster_export(p_unit text, p_from date, p_to date)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
	v_rows jsonb;
begin
	perform private.require_roster_staff();
	perform private.require_unit_in_scope(p_unit);
	if p_from is null or p_to is null or p_to < p_from or p_to - p_from > 30 then
		raise exception '导出的日期范围无效：结束不早于开始，且不超过31天'
			using errcode = 'invalid_parameter_value', hint = 'invalid_period';
	end if;
	perform private.check_day(p_unit, p_from, 14);
	perform private.check_day(p_unit, p_to, 14);
	select coalesce(jsonb_agg(t order by t.community_code, t.checkpoint_id, t.starts, t.shift_id), '[]'::jsonb)
	into v_rows
	from (
		select s.id as shift_id, c.id as checkpoint_id, c.name as checkpoint_name, c.kind as checkpoint_kind,
			c.community_code::text as community_code, u.name as community_name,
			case when private.in_scope(v.home_unit_code) then v.name else private.mask_name(v.name) end as volunteer_name,
			v.kind as volunteer_kind, o.name as organisation_name, tm.name as team_name,
			case when private.in_scope(v.home_unit_code) then v.phone_masked end as phone_masked,
			h.name as home_community_name, v.home_unit_code <> c.community_code as lent,
			lower(s.period) as starts, upper(s.period) as ends, s.status
		from public.shifts s
		join public.checkpoints c on c.id = s.checkpoint_id
		join public.units u on u.code = c.community_code
		join public.volunteers v on v.id = s.volunteer_id
		join public.units h on h.code = v.home_unit_code
		left join public.organisations o on o.id = v.organisation_id
		left join public.volunteer_teams tm on tm.id = v.team_id
		where s.community_code >= p_unit and s.community_code < p_unit || ':'
			and lower(s.period) >= private.start_of_day(p_from) and lower(s.period) < private.end_of_day(p_to)
	) t;
	insert into public.audit_log (user_id, unit_code, action, table_name, purpose, detail)
	values (auth.uid(), p_unit, 'export', 'shifts', '导出排班表',
		jsonb_build_object('from', p_from, 'to', p_to, 'rows', jsonb_array_length(v_rows)));
	return v_rows;
end $$;

revoke execute on function public.import_volunteers(jsonb, boolean) from public, anon;
revoke execute on function public.roster_export(text, date, date) from public, anon;
grant execute on function public.import_volunteers(jsonb, boolean) to authenticated;
grant execute on function public.roster_export(text, date, date) to authenticated;
