-- The administrative hierarchy (city › district › street › community › grid), who belongs where, and the
-- helpers every policy in later migrations uses. Roles, the auth schema and the `extensions` schema exist
-- already on every target (hosted Supabase, the CLI's stack, the embedded stack): never created here.

create extension if not exists btree_gist with schema extensions;
create extension if not exists pgcrypto with schema extensions;

-- Helpers live in a schema PostgREST does not expose. Policies run them as the querying role, so that role
-- needs USAGE; EXECUTE is granted function by function.
create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------------------
-- Validation helpers (immutable, used by CHECK constraints)
-- ---------------------------------------------------------------------------------------------------------

-- Code lengths per level: 5105 › 510502 › 510502001 › 510502001006 › 510502001006001.
create function private.unit_code_length(level text) returns int
language sql immutable parallel safe set search_path = '' as $$
	select case level
		when 'city' then 4 when 'district' then 6 when 'street' then 9
		when 'community' then 12 when 'grid' then 15 end
$$;

-- A GeoJSON Polygon or MultiPolygon whose rings have at least 4 positions, are closed, and whose positions
-- are [lon, lat] numbers in range. jsonpath runs in C, so this stays cheap on large boundaries.
create function private.is_valid_area_geojson(g jsonb) returns boolean
language sql immutable parallel safe set search_path = '' as $$
	select case g ->> 'type'
		when 'Polygon' then
			jsonb_typeof(g -> 'coordinates') = 'array'
			and jsonb_array_length(g -> 'coordinates') > 0
			and not jsonb_path_exists(g, 'strict $.coordinates[*] ? (@.type() != "array" || @.size() < 4)')
			and not jsonb_path_exists(g, 'strict $.coordinates[*][*] ? (@.type() != "array" || @.size() < 2 || @[0].type() != "number" || @[1].type() != "number" || @[0] < -180 || @[0] > 180 || @[1] < -90 || @[1] > 90)')
			and not jsonb_path_exists(g, 'strict $.coordinates[*] ? (@[0][0] != @[last][0] || @[0][1] != @[last][1])')
		when 'MultiPolygon' then
			jsonb_typeof(g -> 'coordinates') = 'array'
			and jsonb_array_length(g -> 'coordinates') > 0
			and not jsonb_path_exists(g, 'strict $.coordinates[*] ? (@.type() != "array" || @.size() < 1)')
			and not jsonb_path_exists(g, 'strict $.coordinates[*][*] ? (@.type() != "array" || @.size() < 4)')
			and not jsonb_path_exists(g, 'strict $.coordinates[*][*][*] ? (@.type() != "array" || @.size() < 2 || @[0].type() != "number" || @[1].type() != "number" || @[0] < -180 || @[0] > 180 || @[1] < -90 || @[1] > 90)')
			and not jsonb_path_exists(g, 'strict $.coordinates[*][*] ? (@[0][0] != @[last][0] || @[0][1] != @[last][1])')
		else false end
$$;

create function private.is_valid_lon_lat(lon double precision, lat double precision) returns boolean
language sql immutable parallel safe set search_path = '' as $$
	select lon between -180 and 180 and lat between -90 and 90 and lon = lon and lat = lat
$$;

-- Mainland mobile (138 1234 5678) or landline with area code (0830-1234567).
create function private.is_valid_phone(p text) returns boolean
language sql immutable parallel safe set search_path = '' as $$
	select p ~ '^1[3-9][0-9]{9}$' or p ~ '^0[0-9]{2,3}-?[0-9]{7,8}$'
$$;

-- 138****5678: what every screen shows unless the full number is revealed through an audited call.
create function private.mask_phone(p text) returns text
language sql immutable parallel safe set search_path = '' as $$
	select case when p is null then null
		when length(p) >= 7 then left(p, 3) || '****' || right(p, 4)
		else '****' end
$$;

-- GB 11643-1999 resident ID number: 17 digits and a check character (ISO 7064 MOD 11-2).
create function private.is_valid_id_number(n text) returns boolean
language sql immutable parallel safe set search_path = '' as $$
	select n ~ '^[0-9]{17}[0-9X]$' and substr('10X98765432', (
		select sum(substr(n, i, 1)::int * ((2 ^ (18 - i))::int % 11)) % 11
		from generate_series(1, 17) as i
	)::int + 1, 1) = substr(n, 18, 1)
$$;

create function private.mask_id_number(n text) returns text
language sql immutable parallel safe set search_path = '' as $$
	select case when n is null then null else left(n, 6) || '********' || right(n, 4) end
$$;

grant execute on all functions in schema private to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------------------
-- Units
-- ---------------------------------------------------------------------------------------------------------
create table public.units (
	code text collate "C" primary key,
	name text not null check (length(name) between 1 and 60),
	level text not null check (level in ('city', 'district', 'street', 'community', 'grid')),
	parent_code text collate "C" references public.units (code) on update cascade,
	geometry jsonb check (geometry is null or private.is_valid_area_geojson(geometry)),
	-- Bounding box and label point, kept beside the geometry so viewport filters are plain indexed SQL.
	min_lon double precision, min_lat double precision, max_lon double precision, max_lat double precision,
	center_lon double precision, center_lat double precision,
	created_at timestamptz not null default now(),
	updated_at timestamptz not null default now(),
	constraint units_code_format check (code ~ '^[0-9]+$' and length(code) = private.unit_code_length(level)),
	constraint units_parent_is_prefix check (
		(level = 'city' and parent_code is null)
		or (level <> 'city' and parent_code is not null and left(code, length(parent_code)) = parent_code
			and length(parent_code) = private.unit_code_length(
				case level when 'district' then 'city' when 'street' then 'district'
					when 'community' then 'street' when 'grid' then 'community' end))
	),
	constraint units_bbox_complete check (
		(geometry is null) = (min_lon is null) and (min_lon is null) = (max_lat is null)
		and (min_lon is null or (min_lon <= max_lon and min_lat <= max_lat
			and private.is_valid_lon_lat(min_lon, min_lat) and private.is_valid_lon_lat(max_lon, max_lat)))
	)
);
comment on table public.units is 'Administrative units and grids; a unit''s code starts with its parent''s code.';
create index units_parent_code_idx on public.units (parent_code);
create index units_bbox_idx on public.units (min_lon, max_lon, min_lat, max_lat);
alter table public.units enable row level security;

-- ---------------------------------------------------------------------------------------------------------
-- Memberships: the only source of a user's role and unit (never user metadata).
-- ---------------------------------------------------------------------------------------------------------
create table public.memberships (
	user_id uuid primary key references auth.users (id) on delete cascade,
	-- admin (系统管理员): manages the people and the units of their unit, sees no personal data.
	role text not null check (role in ('secretary', 'commander', 'leader', 'volunteer', 'admin')),
	unit_code text collate "C" not null references public.units (code),
	display_name text not null default '' check (length(display_name) <= 60),
	-- For volunteers and grid workers: their record in public.volunteers (constraint added with that table).
	volunteer_id bigint,
	-- Set when the person is deactivated (…1208000600_people): they hold no unit and no role from then on,
	-- whatever token they still carry.
	deactivated_at timestamptz,
	created_at timestamptz not null default now()
);
create index memberships_unit_code_idx on public.memberships (unit_code);
alter table public.memberships enable row level security;

-- The caller's unit, or NULL when the caller has none. A code that is not purely digits is treated as none,
-- so no membership can ever widen into a wildcard.
create function private.my_unit() returns text
language sql stable security definer set search_path = '' as $$
	select m.unit_code from public.memberships m
	where m.user_id = (select auth.uid()) and m.unit_code ~ '^[0-9]{4,15}$' and m.deactivated_at is null
$$;

create function private.my_role() returns text
language sql stable security definer set search_path = '' as $$
	select m.role from public.memberships m where m.user_id = (select auth.uid()) and m.deactivated_at is null
$$;

create function private.my_volunteer_id() returns bigint
language sql stable security definer set search_path = '' as $$
	select m.volunteer_id from public.memberships m where m.user_id = (select auth.uid()) and m.deactivated_at is null
$$;

-- Scope as a half-open range of codes: every code that starts with my unit lies in [unit, unit || ':')
-- because codes are digits and ':' follows '9' in the C collation. Unlike LIKE with a parameter, the range
-- can use a btree index. NULL (no membership) makes every comparison NULL, so nothing matches.
create function private.scope_lo() returns text
language sql stable set search_path = '' as $$ select private.my_unit() $$;

create function private.scope_hi() returns text
language sql stable set search_path = '' as $$ select private.my_unit() || ':' $$;

-- True when `code` is my unit or below it.
create function private.in_scope(code text) returns boolean
language sql stable set search_path = '' as $$
	select code >= private.my_unit() and code < private.my_unit() || ':'
$$;

-- Staff who may see personal rows of their unit and below: community and street staff (not leaders).
create function private.is_personal_staff() returns boolean
language sql stable set search_path = '' as $$
	select coalesce(private.my_role() in ('secretary', 'commander'), false)
$$;

grant execute on all functions in schema private to authenticated, service_role;

create policy "Units in or above the member's unit are viewable by the member"
	on public.units for select to authenticated
	using (
		(code >= (select private.scope_lo()) and code < (select private.scope_hi()))
		or left((select private.my_unit()), length(code)) = code
	);

create policy "Members can view their own membership"
	on public.memberships for select to authenticated
	using (user_id = (select auth.uid()));

-- Memberships are managed by administrators (service role), not through the API by members.
revoke insert, update, delete, truncate on public.memberships from anon, authenticated;

-- Whether a unit code names a unit (issue #20): a screen asked for a unit outside the member's scope answers
-- "not found" when there is no such unit and "forbidden" when there is, instead of "forbidden" for both. Units
-- and their codes are public (the national statistical division codes); this says nothing more than yes or no.
create function public.unit_exists(p_code text) returns boolean
language sql stable security definer set search_path = '' as $$
	select exists (select 1 from public.units u where u.code = p_code)
$$;
revoke execute on function public.unit_exists(text) from public, anon;
grant execute on function public.unit_exists(text) to authenticated;
