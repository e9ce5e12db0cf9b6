-- The secretary's grids (issue #5): who works in each grid, grid boundaries saved as a whole with everything
-- keyed by grid moved along in the same transaction, households imported from a spreadsheet all or nothing,
-- and the community's exports with what the caller's role may see.
--
-- Errors carry a Chinese message for people and a HINT for the app to map; each function lists its hints.

-- ---------------------------------------------------------------------------------------------------------
-- Point in polygon, the app's rule
-- ---------------------------------------------------------------------------------------------------------

-- Whether a GeoJSON Polygon or MultiPolygon holds (lon, lat) under the boundary rule of the app's PolygonIndex
-- (src/lib/spatial/polygon-index.ts): an edge counts when lower y <= lat < upper y and the point lies strictly
-- west of its crossing, the crossing computed from the edge's lower end as
-- x0 + (lat - y0) * ((x1 - x0) / (y1 - y0)), the same floating-point steps in the same order. So the app's
-- preview and this function agree bit for bit, a point on a border shared by two grids lies in exactly one
-- of them (the eastern, or the northern for a horizontal border), and a tiling leaves no point in two grids.
-- Even-odd over every ring of every part, as the app counts. PL/pgSQL loops, like private.point_in_area
-- (20261129001100) and for the same reason.
create function private.grid_holds(g jsonb, lon double precision, lat double precision) returns boolean
language plpgsql immutable parallel safe set search_path = '' as $$
declare
	v_polygons jsonb := case g ->> 'type'
		when 'Polygon' then jsonb_build_array(g -> 'coordinates')
		when 'MultiPolygon' then g -> 'coordinates'
		else '[]'::jsonb end;
	v_ring jsonb;
	v_inside boolean := false;
	a_x double precision;
	a_y double precision;
	b_x double precision;
	b_y double precision;
begin
	for p in 0 .. jsonb_array_length(v_polygons) - 1 loop
		for r in 0 .. jsonb_array_length(v_polygons -> p) - 1 loop
			v_ring := v_polygons -> p -> r;
			a_x := (v_ring -> 0 ->> 0)::double precision;
			a_y := (v_ring -> 0 ->> 1)::double precision;
			for i in 1 .. jsonb_array_length(v_ring) - 1 loop
				b_x := (v_ring -> i ->> 0)::double precision;
				b_y := (v_ring -> i ->> 1)::double precision;
				if (a_y <= lat) <> (b_y <= lat) then
					if a_y < b_y then
						if lon < a_x + (lat - a_y) * ((b_x - a_x) / (b_y - a_y)) then v_inside := not v_inside; end if;
					elsif lon < b_x + (lat - b_y) * ((a_x - b_x) / (a_y - b_y)) then
						v_inside := not v_inside;
					end if;
				end if;
				a_x := b_x;
				a_y := b_y;
			end loop;
		end loop;
	end loop;
	return v_inside;
end $$;

-- [min_lon, min_lat, max_lon, max_lat] of a Polygon or MultiPolygon.
create function private.area_bbox(g jsonb) returns double precision[]
language sql immutable parallel safe set search_path = '' as $$
	select array[min((p ->> 0)::double precision), min((p ->> 1)::double precision),
		max((p ->> 0)::double precision), max((p ->> 1)::double precision)]
	from jsonb_path_query(g, case g ->> 'type' when 'Polygon' then 'strict $.coordinates[*][*]'
		else 'strict $.coordinates[*][*][*]' end::jsonpath) as p
$$;

-- The caller may change the grids and households of a community: its secretary, or the commander of its street.
create function private.may_edit_community(p_community text) returns boolean
language sql stable security definer set search_path = '' as $$
	select p_community ~ '^[0-9]{12}$' and coalesce(
		(private.my_role() = 'secretary' and private.my_unit() = p_community)
		or (private.my_role() = 'commander' and private.my_unit() = left(p_community, 9)), false)
$$;

grant execute on all functions in schema private to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------------------
-- Who works in each grid
-- ---------------------------------------------------------------------------------------------------------

-- A grid worker (网格员) or volunteer assigned to one grid of their home community; reassigning moves them.
-- What a person does there is their kind in public.volunteers (grid_worker, volunteer, party_member, ...).
create table public.grid_members (
	volunteer_id bigint primary key references public.volunteers (id) on delete cascade,
	grid_code text collate "C" not null references public.units (code) on delete cascade,
	assigned_at timestamptz not null default now(),
	assigned_by uuid default auth.uid() references auth.users (id) on delete set null,
	constraint grid_members_grid_is_grid check (length(grid_code) = 15)
);
create index grid_members_grid_code_idx on public.grid_members (grid_code);
alter table public.grid_members enable row level security;

create policy "Grid members are viewable by staff of their unit and by the member"
	on public.grid_members for select to authenticated
	using (
		((select private.is_personal_staff())
			and grid_code >= (select private.scope_lo()) and grid_code < (select private.scope_hi()))
		or volunteer_id = (select private.my_volunteer_id())
	);
create policy "Community and street staff can assign people to grids of their unit"
	on public.grid_members for insert to authenticated
	with check ((select private.is_personal_staff()) and private.in_scope(grid_code));
create policy "Community and street staff can reassign people within their unit"
	on public.grid_members for update to authenticated
	using ((select private.is_personal_staff()) and private.in_scope(grid_code))
	with check ((select private.is_personal_staff()) and private.in_scope(grid_code));
create policy "Community and street staff can unassign people of their unit"
	on public.grid_members for delete to authenticated
	using ((select private.is_personal_staff()) and private.in_scope(grid_code));

-- A person works in a grid of the community they live in (lending to other communities is the roster's job),
-- and the grid is a grid; whoever writes, the assigner is the caller.
create function private.grid_members_rules() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
	v_home text;
	v_level text;
begin
	select v.home_unit_code into v_home from public.volunteers v where v.id = new.volunteer_id;
	select u.level into v_level from public.units u where u.code = new.grid_code;
	if v_level is distinct from 'grid' then
		raise exception '网格不存在：%', new.grid_code using errcode = 'foreign_key_violation', hint = 'grid_not_found';
	end if;
	if v_home is distinct from left(new.grid_code, 12) then
		raise exception '只能把本社区的人员分到本社区的网格' using errcode = 'check_violation',
			hint = 'member_outside_community';
	end if;
	new.assigned_at := now();
	new.assigned_by := coalesce(auth.uid(), new.assigned_by);
	return new;
end $$;
create trigger grid_members_rules before insert or update on public.grid_members
	for each row execute function private.grid_members_rules();

-- Puts a person in a grid (or moves them there); p_grid_code null takes them out of any grid. Runs as the
-- caller, so RLS decides scope: a person the caller cannot see is "not found".
-- Hints: member_not_found, grid_not_found, member_outside_community.
create function public.assign_grid_member(p_volunteer_id bigint, p_grid_code text) returns void
language plpgsql security invoker set search_path = '' as $$
begin
	if not exists (select 1 from public.volunteers v where v.id = p_volunteer_id)
		or not coalesce(private.is_personal_staff(), false) then
		raise exception '人员不存在或无权调整' using errcode = 'no_data_found', hint = 'member_not_found';
	end if;
	if p_grid_code is null then
		delete from public.grid_members m where m.volunteer_id = p_volunteer_id;
		return;
	end if;
	insert into public.grid_members as m (volunteer_id, grid_code) values (p_volunteer_id, p_grid_code)
	on conflict (volunteer_id) do update set grid_code = excluded.grid_code;
end $$;
revoke execute on function public.assign_grid_member(bigint, text) from public, anon;
grant execute on function public.assign_grid_member(bigint, text) to authenticated;

-- ---------------------------------------------------------------------------------------------------------
-- Building claims follow their building
-- ---------------------------------------------------------------------------------------------------------

-- A claim (20261129001300) never changes grid, except to follow its building when the grid boundaries are
-- saved. Its rules trigger now fires for updates of every column but grid_code, and a change of grid_code alone
-- is allowed only to the building's grid.
drop trigger building_claims_rules on public.building_claims;
create trigger building_claims_rules before insert or update of building_id, round_id, claimed_by, claimed_at,
	claimed_by_name, expires_at, released_at on public.building_claims
	for each row execute function private.building_claims_rules();

create function private.building_claims_follow_building() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
	if new.grid_code is distinct from (select b.grid_code from public.buildings b where b.id = new.building_id) then
		raise exception '认领记录只能延长或释放' using errcode = 'check_violation', hint = 'claim_immutable';
	end if;
	return new;
end $$;
create trigger building_claims_follow_building before update of grid_code on public.building_claims
	for each row execute function private.building_claims_follow_building();

-- ---------------------------------------------------------------------------------------------------------
-- Saving a community's grid boundaries
-- ---------------------------------------------------------------------------------------------------------

-- Replaces the grids of a community with `p_grids`, a JSON array of {code, name, geometry, center: [lon, lat]},
-- and moves everything keyed by grid, in one transaction:
--   - grids are inserted, updated (geometry, bbox, label point, name) or removed (those not in the list);
--   - each building goes to the grid that holds its point (private.grid_holds, the app's rule); its
--     households, their residents and service requests, and their screenings follow the building. Screenings
--     move with their household rather than keep the grid they were recorded in: grid_code on a screening is
--     the household's key for scope and counting, and the coverage counters (20261129001000), the daily
--     chart and the map must agree on one grid per household;
--   - markets and leads with a place go to the grid that holds their point (a market outside every grid loses
--     its grid; a lead keeps its grid unless that grid is removed); lead history keeps the grid it was written
--     with (it is a record);
--   - people assigned to a removed grid are unassigned (counted in the answer).
-- The app checks rings and the tiling (gaps, overlaps, overhangs) with Turf before it calls this, and sends the
-- building moves its preview showed (`p_moves`, [{building_id, grid_code}]). The database re-checks what it can
-- cheaply (codes, names, GeoJSON shape, each grid within the community's bbox, label points inside their grid),
-- computes the assignment itself with the same rule, and refuses when a building lies in no grid or in two,
-- or when its moves differ from the preview's (someone changed the buildings meanwhile). Concurrent saves of
-- one community queue on the community's row lock.
-- Returns counts: {grids, added, removed, buildings_moved, households_moved, residents_moved,
-- screenings_moved, leads_moved, markets_moved, members_unassigned}.
-- Hints: grids_forbidden, community_not_found, grids_empty, grid_code_invalid, grid_code_duplicate,
-- grid_name_invalid, grid_geometry_invalid, grid_outside_community, grid_center_outside, building_outside_grids,
-- building_in_two_grids, moves_mismatch, grid_in_use.
create function public.save_grid_boundaries(p_community text, p_grids jsonb, p_moves jsonb default '[]'::jsonb)
returns jsonb
language plpgsql security definer set search_path = '' set jit = off as $$
declare
	v_community public.units;
	v_bad record;
	v_codes text[];
	v_removed text[];
	v_move_ids bigint[];
	v_move_codes text[];
	v_added int;
	v_buildings int;
	v_households int;
	v_residents int;
	v_screenings int;
	v_leads int;
	v_markets int;
	v_members int;
	v_expected int;
	v_mismatch int;
begin
	if not coalesce(private.may_edit_community(p_community), false) then
		raise exception '无权修改该社区的网格' using errcode = 'insufficient_privilege', hint = 'grids_forbidden';
	end if;
	-- the community's row lock queues concurrent saves of its grids
	select * into v_community from public.units u where u.code = p_community and u.level = 'community' for update;
	if v_community.code is null or v_community.geometry is null then
		raise exception '社区不存在或没有边界：%', p_community using errcode = 'no_data_found', hint = 'community_not_found';
	end if;
	if jsonb_typeof(p_grids) is distinct from 'array' or jsonb_array_length(p_grids) = 0 then
		raise exception '至少需要一个网格' using errcode = 'invalid_parameter_value', hint = 'grids_empty';
	end if;
	if jsonb_typeof(p_moves) is distinct from 'array' then
		raise exception '楼栋调整清单须为数组' using errcode = 'invalid_parameter_value', hint = 'moves_mismatch';
	end if;

	-- each grid: its code under the community, a name, a valid area inside the community's bbox, a label point in it
	select g.i, g.e ->> 'code' as code into v_bad
	from jsonb_array_elements(p_grids) with ordinality as g(e, i)
	where jsonb_typeof(g.e) <> 'object' or coalesce(g.e ->> 'code', '') !~ ('^' || p_community || '[0-9]{3}$')
	limit 1;
	if v_bad.i is not null then
		raise exception '网格编号无效：%（须为社区编号 % 后加三位数字）', coalesce(v_bad.code, '(空)'), p_community
			using errcode = 'invalid_parameter_value', hint = 'grid_code_invalid';
	end if;
	select e ->> 'code' as code into v_bad from jsonb_array_elements(p_grids) e
	group by 1 having count(*) > 1 limit 1;
	if v_bad.code is not null then
		raise exception '网格编号重复：%', v_bad.code using errcode = 'unique_violation', hint = 'grid_code_duplicate';
	end if;
	select e ->> 'code' as code into v_bad from jsonb_array_elements(p_grids) e
	where length(trim(coalesce(e ->> 'name', ''))) not between 1 and 60 limit 1;
	if v_bad.code is not null then
		raise exception '网格 % 的名称须为 1 到 60 个字', v_bad.code using errcode = 'invalid_parameter_value',
			hint = 'grid_name_invalid';
	end if;
	select e ->> 'code' as code into v_bad from jsonb_array_elements(p_grids) e
	where not private.is_valid_area_geojson(e -> 'geometry') limit 1;
	if v_bad.code is not null then
		raise exception '网格 % 的边界不是有效的多边形', v_bad.code using errcode = 'invalid_parameter_value',
			hint = 'grid_geometry_invalid';
	end if;
	select e ->> 'code' as code into v_bad from jsonb_array_elements(p_grids) e,
		lateral (select private.area_bbox(e -> 'geometry') as b) x
	where x.b[1] < v_community.min_lon - 1e-9 or x.b[2] < v_community.min_lat - 1e-9
		or x.b[3] > v_community.max_lon + 1e-9 or x.b[4] > v_community.max_lat + 1e-9
	limit 1;
	if v_bad.code is not null then
		raise exception '网格 % 超出了%的范围', v_bad.code, v_community.name using errcode = 'check_violation',
			hint = 'grid_outside_community';
	end if;
	select e ->> 'code' as code into v_bad from jsonb_array_elements(p_grids) e
	where jsonb_typeof(e -> 'center' -> 0) is distinct from 'number' or jsonb_typeof(e -> 'center' -> 1) is distinct from 'number'
		or not private.grid_holds(e -> 'geometry', (e -> 'center' ->> 0)::double precision, (e -> 'center' ->> 1)::double precision)
	limit 1;
	if v_bad.code is not null then
		raise exception '网格 % 的标注点不在网格内', v_bad.code using errcode = 'check_violation',
			hint = 'grid_center_outside';
	end if;

	select array_agg(e ->> 'code' order by e ->> 'code') into v_codes from jsonb_array_elements(p_grids) e;
	select coalesce(array_agg(u.code order by u.code), '{}') into v_removed from public.units u
	where u.parent_code = p_community and u.level = 'grid' and u.code <> all (v_codes);
	select count(*) into v_added from unnest(v_codes) c
	where not exists (select 1 from public.units u where u.code = c);

	insert into public.units as u (code, name, level, parent_code, geometry, min_lon, min_lat, max_lon, max_lat,
		center_lon, center_lat, updated_at)
	select e ->> 'code', trim(e ->> 'name'), 'grid', p_community, e -> 'geometry', b[1], b[2], b[3], b[4],
		(e -> 'center' ->> 0)::double precision, (e -> 'center' ->> 1)::double precision, now()
	from jsonb_array_elements(p_grids) e, lateral (select private.area_bbox(e -> 'geometry') as b) x
	on conflict (code) do update set name = excluded.name, geometry = excluded.geometry,
		min_lon = excluded.min_lon, min_lat = excluded.min_lat, max_lon = excluded.max_lon, max_lat = excluded.max_lat,
		center_lon = excluded.center_lon, center_lat = excluded.center_lat, updated_at = now();

	-- every building in exactly one grid (bbox first, then the rule)
	create temporary table if not exists pg_temp.grid_hits (id bigint, code text collate "C") on commit drop;
	truncate pg_temp.grid_hits;
	insert into pg_temp.grid_hits (id, code)
	select b.id, u.code
	from public.buildings b
	join public.units u on u.code = any (v_codes)
		and b.lon >= u.min_lon and b.lon <= u.max_lon and b.lat >= u.min_lat and b.lat <= u.max_lat
	where b.community_code = p_community and private.grid_holds(u.geometry, b.lon, b.lat);

	select b.name into v_bad from public.buildings b
	where b.community_code = p_community and not exists (select 1 from pg_temp.grid_hits h where h.id = b.id)
	order by b.id limit 1;
	if v_bad.name is not null then
		raise exception '楼栋「%」不在任何网格内', v_bad.name using errcode = 'check_violation',
			hint = 'building_outside_grids';
	end if;
	select b.name into v_bad from pg_temp.grid_hits h join public.buildings b on b.id = h.id
	group by b.id, b.name having count(*) > 1 order by b.id limit 1;
	if v_bad.name is not null then
		raise exception '楼栋「%」同时落在两个网格内（网格重叠）', v_bad.name using errcode = 'check_violation',
			hint = 'building_in_two_grids';
	end if;

	select coalesce(array_agg(h.id order by h.id), '{}'), coalesce(array_agg(h.code order by h.id), '{}')
	into v_move_ids, v_move_codes
	from pg_temp.grid_hits h join public.buildings b on b.id = h.id
	where b.grid_code <> h.code;
	-- the preview's moves, as sent, must be exactly these
	select count(*) into v_expected from jsonb_array_elements(p_moves);
	select count(*) into v_mismatch from (
		(select (e ->> 'building_id')::bigint, e ->> 'grid_code' from jsonb_array_elements(p_moves) e
			except select * from unnest(v_move_ids, v_move_codes))
		union all
		(select * from unnest(v_move_ids, v_move_codes)
			except select (e ->> 'building_id')::bigint, e ->> 'grid_code' from jsonb_array_elements(p_moves) e)
	) d;
	if v_mismatch > 0 or v_expected <> cardinality(v_move_ids) then
		raise exception '楼栋归属与预览不一致（预览 % 栋，实际 % 栋），请重新检查后再保存', v_expected, cardinality(v_move_ids)
			using errcode = 'P0001', hint = 'moves_mismatch';
	end if;

	update public.buildings b set grid_code = m.code
	from unnest(v_move_ids, v_move_codes) as m(id, code) where b.id = m.id;
	v_buildings := cardinality(v_move_ids);

	update public.households h set grid_code = b.grid_code
	from public.buildings b
	where b.id = h.building_id and h.community_code = p_community and h.grid_code <> b.grid_code;
	get diagnostics v_households = row_count;

	update public.residents r set grid_code = h.grid_code
	from public.households h
	where h.id = r.household_id and h.community_code = p_community and r.grid_code <> h.grid_code;
	get diagnostics v_residents = row_count;

	update public.service_requests s set grid_code = r.grid_code
	from public.residents r
	where r.id = s.resident_id and r.grid_code >= p_community and r.grid_code < p_community || ':'
		and s.grid_code <> r.grid_code;

	update public.screenings s set grid_code = h.grid_code
	from public.households h
	where h.id = s.household_id and h.community_code = p_community and s.grid_code <> h.grid_code;
	get diagnostics v_screenings = row_count;

	-- Building claims (the screening board's, 20261129001300) follow their building.
	update public.building_claims c set grid_code = b.grid_code
	from public.buildings b
	where b.id = c.building_id and b.community_code = p_community and c.grid_code <> b.grid_code;

	with placed as (
		select m.id, (
			select u.code from public.units u
			where u.code = any (v_codes) and m.lon between u.min_lon and u.max_lon and m.lat between u.min_lat and u.max_lat
				and private.grid_holds(u.geometry, m.lon, m.lat)
			order by u.code limit 1) as code
		from public.markets m
		where m.community_code = p_community
	)
	update public.markets m set grid_code = p.code
	from placed p where p.id = m.id and m.grid_code is distinct from p.code;
	get diagnostics v_markets = row_count;

	with placed as (
		select l.id, (
			select u.code from public.units u
			where u.code = any (v_codes) and l.lon between u.min_lon and u.max_lon and l.lat between u.min_lat and u.max_lat
				and private.grid_holds(u.geometry, l.lon, l.lat)
			order by u.code limit 1) as code
		from public.leads l
		where l.grid_code >= p_community and l.grid_code < p_community || ':' and l.lon is not null
	)
	update public.leads l set grid_code = p.code
	from placed p where p.id = l.id and p.code is not null and l.grid_code <> p.code;
	get diagnostics v_leads = row_count;

	if cardinality(v_removed) > 0 then
		select x.code, x.what into v_bad from (
			select l.grid_code as code, '线索' as what from public.leads l where l.grid_code = any (v_removed)
			union all select s.grid_code, '排班' from public.shifts s where s.grid_code = any (v_removed)
			union all select m.unit_code, '账号' from public.memberships m where m.unit_code = any (v_removed)
		) x order by 1 limit 1;
		if v_bad.code is not null then
			raise exception '网格 % 仍有%记录，不能删除', v_bad.code, v_bad.what using errcode = 'foreign_key_violation',
				hint = 'grid_in_use';
		end if;
		delete from public.grid_members m where m.grid_code = any (v_removed);
		get diagnostics v_members = row_count;
		-- the coverage counters of a removed grid are all zero now that its households have moved
		delete from private.grid_households g where g.grid_code = any (v_removed) and g.households = 0;
		delete from private.grid_first_screenings f where f.grid_code = any (v_removed) and f.households = 0;
		delete from private.grid_screening_spans s where s.grid_code = any (v_removed) and s.households = 0;
		delete from private.grid_screenings_daily d where d.grid_code = any (v_removed) and d.screenings = 0;
		delete from public.units u where u.code = any (v_removed);
	end if;

	return jsonb_build_object('grids', cardinality(v_codes), 'added', v_added, 'removed', cardinality(v_removed),
		'buildings_moved', v_buildings, 'households_moved', v_households, 'residents_moved', v_residents,
		'screenings_moved', v_screenings, 'leads_moved', v_leads, 'markets_moved', v_markets,
		'members_unassigned', coalesce(v_members, 0));
end $$;
revoke execute on function public.save_grid_boundaries(text, jsonb, jsonb) from public, anon;
grant execute on function public.save_grid_boundaries(text, jsonb, jsonb) to authenticated;

-- ---------------------------------------------------------------------------------------------------------
-- Household import
-- ---------------------------------------------------------------------------------------------------------

-- Imports households into a community from rows the app read out of a spreadsheet and mapped to fields:
-- [{row, building, room, head_name, phone, members}], `row` being the sheet's row number for the report.
-- Every row is checked first (the building by name in this community, room, head of household, phone format,
-- members 1–30, the same building and room twice in the file); with any error nothing is written and the
-- answer lists them all: {ok: false, errors: [{row, field, message}]}. Otherwise every row is written, keyed by
-- (building, room): a new room is inserted, a known one updated only where it differs, so importing the same
-- file twice changes nothing the second time: {ok: true, inserted, updated, unchanged}. The grid comes from the
-- building. With p_dry_run nothing is written either way: the answer says what an import would do
-- ({ok: true, dry_run: true, inserted, updated, unchanged}), for the check before the secretary confirms.
-- Runs as definer (the phone column is not readable by members) with the scope checked here.
-- Hints: import_forbidden, import_bad_rows.
create function public.import_households(p_community text, p_rows jsonb, p_dry_run boolean default false)
returns jsonb
language plpgsql security definer set search_path = '' set jit = off as $$
declare
	v_errors jsonb;
	v_inserted int;
	v_updated int;
	v_total int;
begin
	if not coalesce(private.may_edit_community(p_community), false) then
		raise exception '无权向该社区导入住户' using errcode = 'insufficient_privilege', hint = 'import_forbidden';
	end if;
	if jsonb_typeof(p_rows) is distinct from 'array' or jsonb_array_length(p_rows) not between 1 and 50000
		or exists (select 1 from jsonb_array_elements(p_rows) e where jsonb_typeof(e) <> 'object'
			or jsonb_typeof(e -> 'row') is distinct from 'number') then
		raise exception '导入数据须为 1 到 50000 行，每行带行号' using errcode = 'invalid_parameter_value',
			hint = 'import_bad_rows';
	end if;
	-- one import of a community at a time (two would race on the same rooms)
	perform 1 from public.units u where u.code = p_community for update;

	create temporary table if not exists pg_temp.import_rows (
		row_no int, building text, room text, head_name text, phone text, members_text text,
		building_id bigint, grid_code text collate "C", members int
	) on commit drop;
	truncate pg_temp.import_rows;
	insert into pg_temp.import_rows (row_no, building, room, head_name, phone, members_text)
	select (e ->> 'row')::int, nullif(trim(e ->> 'building'), ''), nullif(trim(e ->> 'room'), ''),
		nullif(trim(e ->> 'head_name'), ''), nullif(regexp_replace(coalesce(e ->> 'phone', ''), '[\s]', '', 'g'), ''),
		nullif(trim(e ->> 'members'), '')
	from jsonb_array_elements(p_rows) e;
	update pg_temp.import_rows r set building_id = b.id, grid_code = b.grid_code
	from public.buildings b where b.community_code = p_community and b.name = r.building;
	update pg_temp.import_rows r set members = r.members_text::int where r.members_text ~ '^[0-9]{1,3}$';

	select coalesce(jsonb_agg(jsonb_build_object('row', x.row_no, 'field', x.field, 'message', x.message)
		order by x.row_no, x.ord), '[]'::jsonb)
	into v_errors
	from (
		select r.row_no, 1 as ord, 'building' as field, '缺少楼栋' as message from pg_temp.import_rows r where r.building is null
		union all
		select r.row_no, 1, 'building', '楼栋「' || r.building || '」不在本社区' from pg_temp.import_rows r
		where r.building is not null and r.building_id is null
		union all
		select r.row_no, 2, 'room', '缺少房号' from pg_temp.import_rows r where r.room is null
		union all
		select r.row_no, 2, 'room', '房号不能超过 40 个字' from pg_temp.import_rows r where length(r.room) > 40
		union all
		select r.row_no, 3, 'head_name', '缺少户主姓名' from pg_temp.import_rows r where r.head_name is null
		union all
		select r.row_no, 3, 'head_name', '户主姓名不能超过 40 个字' from pg_temp.import_rows r where length(r.head_name) > 40
		union all
		select r.row_no, 4, 'phone', '电话号码格式不对：' || r.phone from pg_temp.import_rows r
		where r.phone is not null and not private.is_valid_phone(r.phone)
		union all
		select r.row_no, 5, 'members', '人数须为 1 到 30 的整数' from pg_temp.import_rows r
		where r.members is null or r.members not between 1 and 30
		union all
		select r.row_no, 6, 'room', '与第 ' || f.first_row || ' 行重复（同一楼栋同一房号）'
		from pg_temp.import_rows r
		join (select building_id, room, min(row_no) as first_row from pg_temp.import_rows
			where building_id is not null and room is not null group by 1, 2 having count(*) > 1) f
			on f.building_id = r.building_id and f.room = r.room and r.row_no > f.first_row
	) x;
	if jsonb_array_length(v_errors) > 0 then
		return jsonb_build_object('ok', false, 'errors', v_errors);
	end if;

	select count(*) into v_total from pg_temp.import_rows;
	if p_dry_run then
		select count(*) filter (where h.id is null),
			count(*) filter (where h.id is not null
				and (h.head_name, h.phone, h.members) is distinct from (r.head_name, r.phone, r.members))
		into v_inserted, v_updated
		from pg_temp.import_rows r
		left join public.households h on h.building_id = r.building_id and h.room = r.room;
		return jsonb_build_object('ok', true, 'dry_run', true, 'inserted', v_inserted, 'updated', v_updated,
			'unchanged', v_total - v_inserted - v_updated);
	end if;
	with written as (
		insert into public.households as h (building_id, grid_code, community_code, room, head_name, phone, members)
		select r.building_id, r.grid_code, p_community, r.room, r.head_name, r.phone, r.members
		from pg_temp.import_rows r
		order by r.row_no
		on conflict (building_id, room) do update
			set head_name = excluded.head_name, phone = excluded.phone, members = excluded.members
			where (h.head_name, h.phone, h.members) is distinct from (excluded.head_name, excluded.phone, excluded.members)
		returning (xmax = 0) as inserted
	)
	select count(*) filter (where inserted), count(*) filter (where not inserted) into v_inserted, v_updated from written;
	return jsonb_build_object('ok', true, 'inserted', v_inserted, 'updated', v_updated,
		'unchanged', v_total - v_inserted - v_updated, 'dry_run', false);
end $$;
revoke execute on function public.import_households(text, jsonb, boolean) from public, anon;
grant execute on function public.import_households(text, jsonb, boolean) to authenticated;

-- ---------------------------------------------------------------------------------------------------------
-- Exports
-- ---------------------------------------------------------------------------------------------------------

-- One export of a unit as rows for a spreadsheet, with what the caller's role may see, and an audit row (who,
-- unit, what, why, how many rows). p_kind:
--   progress        screening progress of the round: per building with flagged, unreachable and not started
--                   (staff), or per grid from the coverage counters (leaders)
--   special_groups  the special-groups registry: residents with masked phone and ID number (staff), or per
--                   grid and group the number of residents (leaders)
--   leads           leads with status and deadline (staff), or per grid and status the number of leads (leaders)
-- Community and street staff get records of their unit; leaders get counts, counts of 1–2 withheld (null);
-- volunteers get nothing. Answer: {level: 'records' | 'counts', round_id, rows: [{...}]}.
-- Hints: export_forbidden, export_kind_invalid, purpose_required.
create function public.export_unit(p_unit text, p_kind text, p_purpose text) returns jsonb
language plpgsql security definer set search_path = '' set jit = off as $$
declare
	v_role text := private.my_role();
	v_staff boolean := coalesce(private.is_personal_staff(), false);
	v_round bigint;
	v_rows jsonb;
	v_hi text := p_unit || ':';
begin
	if v_role is null or v_role = 'volunteer' or p_unit is null or p_unit !~ '^[0-9]{4,15}$'
		or not coalesce(private.in_scope(p_unit), false) then
		raise exception '无权导出该单位的数据' using errcode = 'insufficient_privilege', hint = 'export_forbidden';
	end if;
	if p_kind is null or p_kind not in ('progress', 'special_groups', 'leads') then
		raise exception '不支持的导出：%', coalesce(p_kind, '(空)') using errcode = 'invalid_parameter_value',
			hint = 'export_kind_invalid';
	end if;
	if p_purpose is null or length(trim(p_purpose)) not between 2 and 200 then
		raise exception '导出需要填写用途' using errcode = 'check_violation', hint = 'purpose_required';
	end if;

	if p_kind = 'progress' then
		v_round := private.round_on(p_unit, private.shanghai_day(now()));
		if v_staff then
			with per_household as (
				select h.id, h.building_id, h.grid_code, h.members,
					bool_or(s.outcome <> 'unreachable') as reached,
					bool_or(s.outcome = 'flagged') as flagged,
					count(s.id) > 0 as attempted
				from public.households h
				left join public.screenings s on s.household_id = h.id and s.round_id = v_round
				where h.grid_code >= p_unit and h.grid_code < v_hi
				group by h.id
			), per_building as (
				select p.building_id, p.grid_code, count(*) as households, sum(p.members) as residents,
					count(*) filter (where p.reached) as screened,
					count(*) filter (where p.flagged) as flagged,
					count(*) filter (where p.attempted and not p.reached) as unreachable,
					count(*) filter (where not p.attempted) as not_started
				from per_household p group by 1, 2
			)
			select coalesce(jsonb_agg(r order by r.grid_code, r.building_id), '[]'::jsonb) into v_rows
			from (
				select b.grid_code, g.name as grid_name, b.building_id, bu.name as building_name, b.households,
					b.residents, b.screened, b.flagged, b.unreachable, b.not_started,
					b.households - b.screened as remaining, round(b.screened::numeric / nullif(b.households, 0), 4) as coverage
				from per_building b
				join public.buildings bu on bu.id = b.building_id
				join public.units g on g.code = b.grid_code
			) r;
		else
			-- Leaders: per grid from the coverage counters (20261129001000), so a city's export reads its 12,000
			-- grids' counters rather than 1.5 million households.
			select coalesce(jsonb_agg(r order by r.grid_code), '[]'::jsonb) into v_rows
			from (
				select g.code as grid_code, g.name as grid_name,
					private.suppress_small(hh.households::bigint, true) as households,
					private.suppress_small(coalesce(sc.screened, 0), true) as screened,
					private.suppress_small(hh.households - coalesce(sc.screened, 0), true) as remaining,
					case when hh.households between 1 and 2 or coalesce(sc.screened, 0) between 1 and 2 then null
						else round(coalesce(sc.screened, 0)::numeric / nullif(hh.households, 0), 4) end as coverage
				from public.units g
				join private.grid_households hh on hh.grid_code = g.code and hh.households > 0
				left join (
					select f.grid_code, sum(f.households)::bigint as screened from private.grid_first_screenings f
					where f.grid_code >= p_unit and f.grid_code < v_hi and f.round_id = v_round group by 1
				) sc on sc.grid_code = g.code
				where g.code >= p_unit and g.code < v_hi and g.level = 'grid'
			) r;
		end if;
	elsif p_kind = 'special_groups' then
		if v_staff then
			select coalesce(jsonb_agg(jsonb_build_object('grid_code', r.grid_code, 'grid_name', g.name,
				'building_name', b.name, 'room', h.room, 'name', r.name, 'gender', r.gender, 'birth_year', r.birth_year,
				'id_number_masked', r.id_number_masked, 'phone_masked', r.phone_masked,
				'special_groups', r.special_groups, 'needs', r.needs, 'isolation_until', r.isolation_until)
				order by r.grid_code, b.name, h.room, r.id), '[]'::jsonb)
			into v_rows
			from public.residents r
			join public.households h on h.id = r.household_id
			join public.buildings b on b.id = h.building_id
			join public.units g on g.code = r.grid_code
			where r.grid_code >= p_unit and r.grid_code < v_hi;
		else
			select coalesce(jsonb_agg(jsonb_build_object('grid_code', x.grid_code, 'grid_name', g.name,
				'special_group', x.special_group, 'residents', private.suppress_small(x.n, true))
				order by x.grid_code, x.special_group), '[]'::jsonb)
			into v_rows
			from (select r.grid_code, sg as special_group, count(*) as n
				from public.residents r, unnest(r.special_groups) sg
				where r.grid_code >= p_unit and r.grid_code < v_hi group by 1, 2) x
			join public.units g on g.code = x.grid_code;
		end if;
	else
		if v_staff then
			select coalesce(jsonb_agg(jsonb_build_object('id', l.id, 'grid_code', l.grid_code, 'grid_name', g.name,
				'title', l.title, 'kind', l.kind, 'source', l.source, 'status', l.status, 'reported_at', l.reported_at,
				'deadline', l.deadline, 'assignee', v.name, 'closed_at', l.closed_at,
				'overdue', l.deadline is not null and l.deadline < now() and l.status not in ('handled', 'closed', 'dismissed'))
				order by l.reported_at, l.id), '[]'::jsonb)
			into v_rows
			from public.leads l
			join public.units g on g.code = l.grid_code
			left join public.volunteers v on v.id = l.assigned_volunteer_id
			where l.grid_code >= p_unit and l.grid_code < v_hi;
		else
			select coalesce(jsonb_agg(jsonb_build_object('grid_code', x.grid_code, 'grid_name', g.name,
				'status', x.status, 'leads', private.suppress_small(x.n, true))
				order by x.grid_code, x.status), '[]'::jsonb)
			into v_rows
			from (select l.grid_code, l.status, count(*) as n from public.leads l
				where l.grid_code >= p_unit and l.grid_code < v_hi group by 1, 2) x
			join public.units g on g.code = x.grid_code;
		end if;
	end if;

	insert into public.audit_log (user_id, unit_code, action, table_name, purpose, detail)
	values (auth.uid(), p_unit, 'export',
		case p_kind when 'progress' then 'households' when 'special_groups' then 'residents' else 'leads' end,
		trim(p_purpose), jsonb_build_object('kind', p_kind, 'rows', jsonb_array_length(v_rows),
			'level', case when v_staff then 'records' else 'counts' end));
	return jsonb_build_object('level', case when v_staff then 'records' else 'counts' end, 'round_id', v_round,
		'rows', v_rows);
end $$;
revoke execute on function public.export_unit(text, text, text) from public, anon;
grant execute on function public.export_unit(text, text, text) to authenticated;
