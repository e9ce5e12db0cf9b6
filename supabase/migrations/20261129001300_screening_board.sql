-- The secretary's screening board (issue #5): buildings claimed for a round so two workers don't screen one
-- twice, screenings recorded idempotently (a phone's offline queue replays its submissions), what the board
-- reads per building and per household, and the households not re-screened in N days.
--
--   - A screening's grid is its household's, whatever the client sent (a trigger, before RLS checks the row),
--     so a volunteer cannot file a screening of another community's household under her own grid.
--   - A claim is live from claimed_at until released_at or expires_at, whichever comes first. One live claim per
--     building and round is an exclusion constraint on that range: an expired claim simply no longer overlaps
--     anything, so no job has to end it. claim_building serialises claims of one building (an advisory lock,
--     taken before reading), so concurrent claims queue and the loser is told who holds the building.
--
-- Errors carry a Chinese message and a HINT the app maps (each RPC's comment lists its hints).

-- ---------------------------------------------------------------------------------------------------------
-- Screenings: the household decides the grid, and the round must cover it
-- ---------------------------------------------------------------------------------------------------------

-- The round open over a grid at a moment: over the grid or above it, the day inside its dates and not closed
-- before that moment; the narrowest (then the latest started) when rounds over nesting units overlap.
create function private.open_round_at(p_grid text, p_at timestamptz) returns bigint
language sql stable security definer set search_path = '' as $$
	select r.id from public.screening_rounds r
	where left(p_grid, length(r.unit_code)) = r.unit_code
		and r.starts_on <= private.shanghai_day(p_at) and private.shanghai_day(p_at) <= r.ends_on
		and (r.closed_at is null or p_at < r.closed_at)
	order by length(r.unit_code) desc, r.starts_on desc, r.id desc
	limit 1
$$;

-- Sets grid_code from the household (definer: volunteers cannot read households), files the screening under the
-- round open over that grid when it was recorded (whatever round the client named: a phone may have kept an
-- older one), refusing it when none is, and fills in the recording volunteer.
create function private.screening_from_household() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
	v_grid text;
	v_round bigint;
begin
	select h.grid_code into v_grid from public.households h where h.id = new.household_id;
	if v_grid is null then
		raise exception '找不到该住户' using errcode = 'foreign_key_violation', hint = 'household_not_found';
	end if;
	new.grid_code := v_grid;
	v_round := private.open_round_at(v_grid, new.screened_at);
	if v_round is null then
		raise exception '该网格在 % 没有进行中的摸排轮次（本轮已结束或尚未开启），这条记录不能计入',
			to_char(new.screened_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD')
			using errcode = 'check_violation', hint = 'no_open_round';
	end if;
	new.round_id := v_round;
	if new.screened_by_volunteer_id is null then
		new.screened_by_volunteer_id := private.my_volunteer_id();
	end if;
	return new;
end $$;
create trigger screenings_from_household before insert on public.screenings
	for each row execute function private.screening_from_household();

-- Whether a submission with this key is stored already (definer: a volunteer cannot read screenings).
create function private.screening_key_exists(p_key uuid) returns boolean
language sql stable security definer set search_path = '' as $$
	select exists (select 1 from public.screenings s where s.idempotency_key = p_key)
$$;

-- A household's grid, whoever asks (definer: volunteers cannot read households); NULL when there is none.
create function private.household_grid(p_household_id bigint) returns text
language sql stable security definer set search_path = '' as $$
	select h.grid_code::text from public.households h where h.id = p_household_id
$$;

-- A person's name as the caller may see it: in full for community and street staff and for oneself, else
-- masked (王**), so a volunteer's board says who screened without naming the other volunteers.
create function private.name_for_caller(p_name text, p_user uuid) returns text
language sql stable set search_path = '' as $$
	select case when p_name is null then null
		when coalesce(private.is_personal_staff(), false) or p_user = (select auth.uid()) then p_name
		else private.mask_name(p_name) end
$$;

grant execute on all functions in schema private to authenticated, service_role;

-- Records one screening, once: a submission whose key is stored already is acknowledged and not stored again
-- (a retry after a timeout, or an offline queue replayed). Runs as the caller: the insert policy decides who
-- may screen where (staff in their unit, volunteers in their home community). `p_screened_at` is when the
-- worker recorded it on the phone (an offline entry syncs later), within the last 7 days.
-- Returns {"stored": true} for a new record, {"stored": false} for a replay.
-- Errors (HINT): idempotency_key_missing, screened_at_out_of_range, household_not_found, outside_scope,
-- no_open_round (the screening's grid had no round open when it was recorded); check violations for a bad method, outcome or flags. The insert policy refuses the
-- same outside_scope case (42501) for a write straight into the table.
create function public.record_screening(
	p_idempotency_key uuid, p_household_id bigint, p_round_id bigint, p_method text, p_outcome text,
	p_flags text[] default '{}', p_note text default null, p_screened_at timestamptz default null
) returns jsonb
language plpgsql security invoker set search_path = '' as $$
declare
	v_at timestamptz := coalesce(p_screened_at, now());
	v_grid text;
	v_constraint text;
begin
	if p_idempotency_key is null then
		raise exception '缺少提交编号' using errcode = 'invalid_parameter_value', hint = 'idempotency_key_missing';
	end if;
	-- A replay is acknowledged before anything else is checked: it may come days later, from a queue.
	if private.screening_key_exists(p_idempotency_key) then
		return jsonb_build_object('stored', false);
	end if;
	if v_at > now() + interval '10 minutes' or v_at < now() - interval '7 days' then
		raise exception '摸排时间须在最近 7 天内' using errcode = 'check_violation', hint = 'screened_at_out_of_range';
	end if;
	v_grid := private.household_grid(p_household_id);
	if v_grid is null then
		raise exception '找不到该住户' using errcode = 'no_data_found', hint = 'household_not_found';
	elsif not coalesce(private.in_scope(v_grid), false)
		or coalesce(private.my_role(), '') not in ('secretary', 'commander', 'volunteer') then
		raise exception '该住户不在你的管辖范围内' using errcode = 'insufficient_privilege', hint = 'outside_scope';
	end if;
	begin
		insert into public.screenings (idempotency_key, household_id, round_id, screened_at, method, outcome, flags,
			note, screened_by_user)
		values (p_idempotency_key, p_household_id, p_round_id, v_at, p_method, p_outcome, coalesce(p_flags, '{}'),
			nullif(trim(p_note), ''), (select auth.uid()));
	exception when unique_violation then
		-- Two copies of one submission arriving at once: the second waited for the first and stores nothing.
		-- (Not ON CONFLICT DO NOTHING: that also applies the SELECT policy, which volunteers do not pass.)
		get stacked diagnostics v_constraint = constraint_name;
		if v_constraint = 'screenings_idempotency_key_unique' then
			return jsonb_build_object('stored', false);
		end if;
		raise;
	end;
	return jsonb_build_object('stored', true);
end $$;

-- ---------------------------------------------------------------------------------------------------------
-- Claims
-- ---------------------------------------------------------------------------------------------------------
create table public.building_claims (
	id bigint generated by default as identity primary key,
	building_id bigint not null references public.buildings (id) on delete cascade,
	round_id bigint not null references public.screening_rounds (id) on delete cascade,
	-- The building's grid (set by trigger): what access is scoped by.
	grid_code text collate "C" not null references public.units (code),
	claimed_by uuid not null default auth.uid() references auth.users (id) on delete cascade,
	-- The claimant's display name when claiming, so co-workers see who without reading memberships.
	claimed_by_name text not null default '' check (length(claimed_by_name) <= 60),
	claimed_at timestamptz not null default now(),
	expires_at timestamptz not null,
	released_at timestamptz,
	constraint building_claims_expiry_after_claim check (expires_at > claimed_at),
	constraint building_claims_release_after_claim check (released_at is null or released_at >= claimed_at),
	constraint building_claims_one_live exclude using gist (
		building_id with =, round_id with =,
		tstzrange(claimed_at, least(released_at, expires_at), '[)') with &&)
);
comment on table public.building_claims is
	'Who is screening a building in a round, until when; live from claimed_at until released or expired.';
create index building_claims_grid_code_idx on public.building_claims (grid_code);
alter table public.building_claims enable row level security;

-- Keeps a claim honest whatever the client sent: it starts now, lies in its building's grid, in a round that
-- covers it, for 10 minutes to 12 hours; an update only extends a live claim (up to 12 hours from now) or ends
-- it now, and a claim never changes building, round or claimant.
create function private.building_claims_rules() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
	if tg_op = 'INSERT' then
		select b.grid_code into new.grid_code from public.buildings b where b.id = new.building_id;
		if new.grid_code is null then
			raise exception '找不到该楼栋' using errcode = 'foreign_key_violation', hint = 'building_not_found';
		end if;
		if new.round_id is distinct from private.open_round_at(new.grid_code, now()) then
			raise exception '该摸排轮次不覆盖这栋楼，或今天不在进行中'
				using errcode = 'check_violation', hint = 'round_not_applicable';
		end if;
		new.claimed_at := now();
		new.released_at := null;
		new.claimed_by_name := coalesce(
			(select nullif(m.display_name, '') from public.memberships m where m.user_id = new.claimed_by), '');
	else
		if new.building_id <> old.building_id or new.round_id <> old.round_id or new.grid_code <> old.grid_code
			or new.claimed_by <> old.claimed_by or new.claimed_at <> old.claimed_at
			or new.claimed_by_name <> old.claimed_by_name then
			raise exception '认领记录只能延长或释放' using errcode = 'check_violation', hint = 'claim_immutable';
		end if;
		if old.released_at is not null or old.expires_at <= now() then
			raise exception '该认领已结束' using errcode = 'check_violation', hint = 'claim_ended';
		end if;
		if new.released_at is not null then
			new.released_at := now();
			new.expires_at := old.expires_at;
			return new;
		end if;
	end if;
	if new.expires_at < now() + interval '10 minutes' or new.expires_at > now() + interval '12 hours' then
		raise exception '认领时长须在 10 分钟到 12 小时之间' using errcode = 'check_violation', hint = 'claim_minutes';
	end if;
	return new;
end $$;
create trigger building_claims_rules before insert or update on public.building_claims
	for each row execute function private.building_claims_rules();

create policy "Claims are viewable by staff and volunteers of their unit"
	on public.building_claims for select to authenticated
	using ((select private.my_role()) in ('secretary', 'commander', 'volunteer')
		and grid_code >= (select private.scope_lo()) and grid_code < (select private.scope_hi()));
create policy "Staff and volunteers can claim buildings of their unit for themselves"
	on public.building_claims for insert to authenticated
	with check ((select private.my_role()) in ('secretary', 'commander', 'volunteer')
		and private.in_scope(grid_code) and claimed_by = (select auth.uid()));
create policy "Claimants and their unit's staff can extend or release claims"
	on public.building_claims for update to authenticated
	using (private.in_scope(grid_code)
		and (claimed_by = (select auth.uid()) or (select private.is_personal_staff())))
	with check (private.in_scope(grid_code)
		and (claimed_by = (select auth.uid()) or (select private.is_personal_staff())));
-- Claims are history (who screened what when): never deleted through the API, and only their end moves.
revoke insert, update, delete, truncate on public.building_claims from anon, authenticated;
grant insert (building_id, round_id, expires_at) on public.building_claims to authenticated;
grant update (expires_at, released_at) on public.building_claims to authenticated;

-- The claim as the app shows it.
create function private.claim_json(c public.building_claims) returns jsonb
language sql stable set search_path = '' as $$
	select jsonb_build_object('id', c.id, 'building_id', c.building_id, 'round_id', c.round_id,
		'claimed_by_name', c.claimed_by_name, 'mine', c.claimed_by = (select auth.uid()),
		'claimed_at', c.claimed_at, 'expires_at', c.expires_at)
$$;

-- Raises "held by someone else", naming who and until when. SQLSTATE 23P01 like the constraint's own,
-- HINT building_claimed, DETAIL the live claim as JSON.
create function private.raise_building_claimed(c public.building_claims) returns void
language plpgsql stable set search_path = '' as $$
begin
	raise exception '该楼栋已由%认领（至 %）', coalesce(nullif(c.claimed_by_name, ''), '其他人员'),
		to_char(c.expires_at at time zone 'Asia/Shanghai', 'MM-DD HH24:MI')
		using errcode = 'exclusion_violation', hint = 'building_claimed', detail = private.claim_json(c)::text;
end $$;

grant execute on all functions in schema private to authenticated, service_role;

-- Claims a building for `p_minutes` (10 to 720) in a round (default: the current round of the building's
-- grid) and returns the claim. Claiming a building one holds already extends the claim. Runs as the caller.
-- Errors (HINT): claim_minutes, building_not_found (or outside the caller's unit), no_round, building_claimed
-- (DETAIL: the live claim), round_not_applicable.
create function public.claim_building(p_building_id bigint, p_round_id bigint default null,
	p_minutes int default 120)
returns jsonb
language plpgsql security invoker set search_path = '' as $$
declare
	v_grid text;
	v_round bigint;
	v_claim public.building_claims;
	v_until timestamptz;
begin
	if p_minutes is null or p_minutes not between 10 and 720 then
		raise exception '认领时长须在 10 分钟到 12 小时之间' using errcode = 'invalid_parameter_value', hint = 'claim_minutes';
	end if;
	if coalesce(private.my_role(), '') not in ('secretary', 'commander', 'volunteer') then
		raise exception '无权认领楼栋' using errcode = 'insufficient_privilege', hint = 'not_allowed';
	end if;
	-- Under RLS: a building outside the caller's unit is not found.
	select b.grid_code into v_grid from public.buildings b where b.id = p_building_id;
	if v_grid is null then
		raise exception '找不到该楼栋' using errcode = 'no_data_found', hint = 'building_not_found';
	end if;
	v_round := coalesce(p_round_id, private.open_round_at(v_grid, now()));
	if v_round is null then
		raise exception '没有进行中的摸排轮次' using errcode = 'no_data_found', hint = 'no_round';
	end if;
	v_until := now() + make_interval(mins => p_minutes);

	-- One claimant of this building at a time: a concurrent claim waits here, then reads the winner's claim.
	perform pg_advisory_xact_lock(5105, (p_building_id % 2147483647)::int);
	select * into v_claim from public.building_claims c
	where c.building_id = p_building_id and c.round_id = v_round
		and c.released_at is null and c.expires_at > now()
	order by c.claimed_at desc limit 1;
	if found then
		if v_claim.claimed_by <> (select auth.uid()) then
			perform private.raise_building_claimed(v_claim);
		end if;
		update public.building_claims set expires_at = greatest(expires_at, v_until)
		where id = v_claim.id returning * into v_claim;
		return private.claim_json(v_claim);
	end if;
	begin
		insert into public.building_claims (building_id, round_id, expires_at)
		values (p_building_id, v_round, v_until)
		returning * into v_claim;
	exception when exclusion_violation then
		-- A claim written around this function (straight into the table) got there first: name it all the same.
		select * into v_claim from public.building_claims c
		where c.building_id = p_building_id and c.round_id = v_round
			and c.released_at is null and c.expires_at > now()
		order by c.claimed_at desc limit 1;
		perform private.raise_building_claimed(v_claim);
	end;
	return private.claim_json(v_claim);
end $$;

-- Ends a live claim now. The claimant, or staff of the claim's unit (a worker who went home), may release it.
-- Errors (HINT): claim_not_found (no such live claim, or not the caller's to release).
create function public.release_building_claim(p_claim_id bigint) returns void
language plpgsql security invoker set search_path = '' as $$
begin
	update public.building_claims set released_at = now()
	where id = p_claim_id and released_at is null and expires_at > now();
	if not found then
		raise exception '认领不存在、已结束或无权释放' using errcode = 'no_data_found', hint = 'claim_not_found';
	end if;
end $$;

-- ---------------------------------------------------------------------------------------------------------
-- What the board reads
-- ---------------------------------------------------------------------------------------------------------

-- Refuses callers who are neither community/street staff nor volunteers (leaders see aggregates elsewhere).
create function private.require_board_member() returns void
language plpgsql stable set search_path = '' as $$
begin
	if coalesce(private.my_role(), '') not in ('secretary', 'commander', 'volunteer') then
		raise exception '无权查看摸排看板' using errcode = 'insufficient_privilege', hint = 'not_allowed';
	end if;
end $$;

grant execute on all functions in schema private to authenticated, service_role;

-- Buildings of a unit (street level and below) with their households' status in a round as of now, by the
-- same rule as map_buildings: a household is flagged (any screening flagged it), door or phone (how it was last
-- reached), unreachable (tried, never reached) or not_started; a building takes flagged if any household is,
-- else the most common status (ties to the status that needs work first). With each building: its last
-- screening (when, how, outcome, by whom, the name masked for volunteers) and its live claim.
-- Errors (HINT): not_allowed, outside_scope, unit_too_large.
create function public.board_buildings(p_unit text, p_round_id bigint default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
	v_round bigint := coalesce(p_round_id, private.round_on(p_unit, private.shanghai_day(now())));
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
				when bool_or(s.outcome = 'flagged') then 'flagged'
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
		select distinct on (h.building_id) h.building_id, s.screened_at, s.method, s.outcome,
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

-- One building for the board: its households (head's name masked for volunteers, phone masked and for staff
-- only) with every screening of theirs in the round (newest first; notes for staff and for one's own), and
-- the building's live claim. Errors (HINT): not_allowed, building_not_found (or outside the caller's unit).
create function public.board_households(p_building_id bigint, p_round_id bigint default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
	v_building public.buildings;
	v_round bigint;
	v_staff boolean := coalesce(private.is_personal_staff(), false);
begin
	perform private.require_board_member();
	select * into v_building from public.buildings b where b.id = p_building_id;
	if v_building.id is null or not coalesce(private.in_scope(v_building.grid_code), false) then
		raise exception '找不到该楼栋' using errcode = 'no_data_found', hint = 'building_not_found';
	end if;
	v_round := coalesce(p_round_id, private.round_on(v_building.grid_code, private.shanghai_day(now())));
	return jsonb_build_object(
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
				'head_name', case when v_staff then h.head_name else private.mask_name(h.head_name) end,
				'phone_masked', case when v_staff then h.phone_masked end,
				'members', h.members,
				'screenings', (select coalesce(jsonb_agg(jsonb_build_object(
						'at', s.screened_at, 'method', s.method, 'outcome', s.outcome, 'flags', s.flags,
						'note', case when v_staff or s.screened_by_user = (select auth.uid()) then s.note end,
						'by', private.name_for_caller(coalesce(v.name, m.display_name), s.screened_by_user))
						order by s.screened_at desc, s.id desc), '[]'::jsonb)
					from public.screenings s
					left join public.volunteers v on v.id = s.screened_by_volunteer_id
					left join public.memberships m on m.user_id = s.screened_by_user
					where s.household_id = h.id and s.round_id = v_round))
				order by h.id), '[]'::jsonb)
			from public.households h where h.building_id = v_building.id)
	);
end $$;

-- Households of a unit not re-screened in the `p_days` days up to `p_as_of` (default today): their last
-- effective screening (one that reached them) is older, or there is none. The same count as unit_dashboard's
-- "not re-screened" KPI (both read the per-household state the coverage triggers keep). Community and street
-- staff only (names). Returns {as_of, days, total, households: the first p_limit, longest waiting first,
-- buildings: every building with such households and how many}.
-- Errors (HINT): not_allowed, outside_scope, bad_days.
create function public.households_not_rescreened(p_unit text, p_days int, p_as_of date default null,
	p_limit int default 300)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
	v_as_of date := coalesce(p_as_of, private.shanghai_day(now()));
begin
	if not coalesce(private.is_personal_staff(), false) then
		raise exception '只有社区书记和街道指挥长可以查看住户名单' using errcode = 'insufficient_privilege', hint = 'not_allowed';
	end if;
	perform private.require_unit_in_scope(p_unit);
	if p_days is null or p_days not between 1 and 60 then
		raise exception '天数须在 1 到 60 之间' using errcode = 'invalid_parameter_value', hint = 'bad_days';
	end if;
	perform private.check_day(p_unit, v_as_of);
	return (
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
end $$;

revoke execute on function public.record_screening(uuid, bigint, bigint, text, text, text[], text, timestamptz),
	public.claim_building(bigint, bigint, int), public.release_building_claim(bigint),
	public.board_buildings(text, bigint), public.board_households(bigint, bigint),
	public.households_not_rescreened(text, int, date, int) from public, anon;
grant execute on function public.record_screening(uuid, bigint, bigint, text, text, text[], text, timestamptz),
	public.claim_building(bigint, bigint, int), public.release_building_claim(bigint),
	public.board_buildings(text, bigint), public.board_households(bigint, bigint),
	public.households_not_rescreened(text, int, date, int) to authenticated;
