-- A city's units and boundaries from files (issue #16). The files are read and matched in the app
-- (src/lib/domain/city-import.ts, src/lib/spatial/unit-boundaries.ts); this writes the result, all or nothing:
--   every row checked first (code against level, parent by prefix and present, name, boundary shape), and
--   any row error answers {ok: false, errors} having written nothing;
--   a unit already there is renamed and re-drawn in place (a row without a boundary keeps the one it has);
--   units under the file's top units that the file no longer lists are deleted, unless data still refers to
--   them (members, grids, organisations, responses ...): those are listed as kept, never deleted;
--   the same rows twice change nothing; with p_dry_run nothing is written and the answer says what would be.
-- Grids are never touched: secretaries draw them.

create function public.import_units(p_rows jsonb, p_dry_run boolean default true) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
	v_errors jsonb;
	v_inserted jsonb := '[]';
	v_renamed jsonb := '[]';
	v_redrawn jsonb := '[]';
	v_unchanged int := 0;
	v_deleted jsonb := '[]';
	v_kept jsonb := '[]';
	v_roots text[];
	v_unit record;
begin
	if jsonb_typeof(p_rows) is distinct from 'array' or jsonb_array_length(p_rows) = 0 then
		raise exception '没有可导入的单位' using errcode = 'invalid_parameter_value', hint = 'units_empty';
	end if;
	if jsonb_array_length(p_rows) > 50000 then
		raise exception '一次最多导入 50000 个单位' using errcode = 'invalid_parameter_value', hint = 'units_too_many';
	end if;

	create temporary table if not exists pg_temp.import_units_rows (
		n int, code text collate "C", name text, level text, parent_code text collate "C", geometry jsonb,
		min_lon double precision, min_lat double precision, max_lon double precision, max_lat double precision,
		center_lon double precision, center_lat double precision
	) on commit drop;
	truncate pg_temp.import_units_rows;
	insert into pg_temp.import_units_rows
	select x.ordinality::int, x.value ->> 'code', btrim(x.value ->> 'name'), x.value ->> 'level',
		x.value ->> 'parent_code', nullif(x.value -> 'geometry', 'null'::jsonb),
		(x.value ->> 'min_lon')::double precision, (x.value ->> 'min_lat')::double precision,
		(x.value ->> 'max_lon')::double precision, (x.value ->> 'max_lat')::double precision,
		(x.value ->> 'center_lon')::double precision, (x.value ->> 'center_lat')::double precision
	from jsonb_array_elements(p_rows) with ordinality x;

	-- Every row's problems, in Chinese, by row.
	select coalesce(jsonb_agg(jsonb_build_object('row', e.n, 'field', e.field, 'message', e.message) order by e.n), '[]')
	into v_errors
	from (
		select r.n, 'code' as field, '代码 ' || coalesce(r.code, '(空)') || ' 与级别不符' as message
		from pg_temp.import_units_rows r
		where r.level is null or r.level not in ('city', 'district', 'street', 'community')
			or r.code is null or r.code !~ '^[0-9]+$' or length(r.code) <> private.unit_code_length(r.level)
		union all
		select r.n, 'name', '名称为空或超过 60 个字' from pg_temp.import_units_rows r
		where r.name is null or length(r.name) not between 1 and 60
		union all
		select r.n, 'code', '代码 ' || r.code || ' 重复' from pg_temp.import_units_rows r
		where exists (select 1 from pg_temp.import_units_rows o where o.code = r.code and o.n < r.n)
		union all
		select r.n, 'parent', '上级代码 ' || coalesce(r.parent_code, '(空)') || ' 不是代码 ' || r.code || ' 的上级'
		from pg_temp.import_units_rows r
		where r.level in ('city', 'district', 'street', 'community') and r.code ~ '^[0-9]+$'
			and ((r.level = 'city') <> (r.parent_code is null)
				or (r.parent_code is not null and (left(r.code, length(r.parent_code)) <> r.parent_code
					or length(r.parent_code) <> private.unit_code_length(case r.level when 'district' then 'city'
						when 'street' then 'district' when 'community' then 'street' end))))
		union all
		select r.n, 'parent', '上级单位 ' || r.parent_code || ' 不在文件中，也不在系统中'
		from pg_temp.import_units_rows r
		where r.parent_code is not null
			and not exists (select 1 from pg_temp.import_units_rows o where o.code = r.parent_code)
			and not exists (select 1 from public.units u where u.code = r.parent_code)
		union all
		select r.n, 'geometry', '边界不是有效的面（Polygon / MultiPolygon）' from pg_temp.import_units_rows r
		where r.geometry is not null and (not private.is_valid_area_geojson(r.geometry) or r.min_lon is null
			or r.center_lon is null or not private.is_valid_lon_lat(r.center_lon, r.center_lat))
	) e;
	if jsonb_array_length(v_errors) > 0 then
		return jsonb_build_object('ok', false, 'errors', v_errors);
	end if;

	-- What the rows change.
	select coalesce(jsonb_agg(jsonb_build_object('code', r.code, 'name', r.name) order by r.code), '[]') into v_inserted
	from pg_temp.import_units_rows r where not exists (select 1 from public.units u where u.code = r.code);
	select coalesce(jsonb_agg(jsonb_build_object('code', r.code, 'from', u.name, 'to', r.name) order by r.code), '[]')
	into v_renamed
	from pg_temp.import_units_rows r join public.units u on u.code = r.code where u.name <> r.name;
	select coalesce(jsonb_agg(jsonb_build_object('code', r.code, 'name', r.name) order by r.code), '[]') into v_redrawn
	from pg_temp.import_units_rows r join public.units u on u.code = r.code
	where r.geometry is not null and u.geometry is distinct from r.geometry;
	select count(*) into v_unchanged
	from pg_temp.import_units_rows r join public.units u on u.code = r.code
	where u.name = r.name and (r.geometry is null or u.geometry = r.geometry);
	-- The file's top units: those whose parent it does not list. What lies under them is the file's to describe.
	select array_agg(r.code) into v_roots from pg_temp.import_units_rows r
	where r.parent_code is null or not exists (select 1 from pg_temp.import_units_rows o where o.code = r.parent_code);

	begin
		insert into public.units (code, name, level, parent_code, geometry, min_lon, min_lat, max_lon, max_lat,
			center_lon, center_lat)
		select r.code, r.name, r.level, r.parent_code, r.geometry, r.min_lon, r.min_lat, r.max_lon, r.max_lat,
			r.center_lon, r.center_lat
		from pg_temp.import_units_rows r
		where not exists (select 1 from public.units u where u.code = r.code)
		order by length(r.code), r.code;
		update public.units u set name = r.name, updated_at = now(),
			geometry = coalesce(r.geometry, u.geometry),
			min_lon = case when r.geometry is null then u.min_lon else r.min_lon end,
			min_lat = case when r.geometry is null then u.min_lat else r.min_lat end,
			max_lon = case when r.geometry is null then u.max_lon else r.max_lon end,
			max_lat = case when r.geometry is null then u.max_lat else r.max_lat end,
			center_lon = case when r.geometry is null then u.center_lon else r.center_lon end,
			center_lat = case when r.geometry is null then u.center_lat else r.center_lat end
		from pg_temp.import_units_rows r
		where u.code = r.code and (u.name <> r.name or (r.geometry is not null and u.geometry is distinct from r.geometry));

		-- Units the file no longer lists, deepest first: deleted, or kept when anything refers to them.
		for v_unit in
			select u.code, u.name from public.units u
			where u.level <> 'grid'
				and exists (select 1 from unnest(v_roots) root where u.code > root and left(u.code, length(root)) = root)
				and not exists (select 1 from pg_temp.import_units_rows r where r.code = u.code)
			order by length(u.code) desc, u.code
		loop
			begin
				delete from public.units where code = v_unit.code;
				v_deleted := v_deleted || jsonb_build_object('code', v_unit.code, 'name', v_unit.name);
			exception when foreign_key_violation then
				v_kept := v_kept || jsonb_build_object('code', v_unit.code, 'name', v_unit.name);
			end;
		end loop;

		if p_dry_run then
			raise exception 'dry run' using errcode = 'WD001';
		end if;
	exception when sqlstate 'WD001' then
		null; -- a dry run: everything above is rolled back, the lists stay
	end;

	if not p_dry_run then
		insert into public.audit_log (user_id, unit_code, action, table_name, purpose, detail)
		values (auth.uid(), v_roots[1], 'units', 'units', '导入行政区划和边界', jsonb_build_object(
			'roots', to_jsonb(v_roots), 'inserted', jsonb_array_length(v_inserted),
			'renamed', v_renamed, 'redrawn', jsonb_array_length(v_redrawn),
			'deleted', v_deleted, 'kept', v_kept));
	end if;
	return jsonb_build_object('ok', true, 'dry_run', p_dry_run, 'inserted', v_inserted, 'renamed', v_renamed,
		'redrawn', v_redrawn, 'unchanged', v_unchanged, 'deleted', v_deleted, 'kept', v_kept);
end;
$$;
revoke execute on function public.import_units(jsonb, boolean) from public, anon, authenticated;
grant execute on function public.import_units(jsonb, boolean) to service_role;
