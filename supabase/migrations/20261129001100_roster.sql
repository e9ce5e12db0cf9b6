-- The street commander's roster (issue #4): checkpoints kept inside their community, and shifts at checkpoints
-- assigned cell by cell (a cell is one checkpoint over one period). The rules live in triggers, so they hold
-- for every write, through the RPCs below or straight into the tables:
--   - a checkpoint lies inside its community's polygon, and a member places it only in their own unit;
--   - a volunteer never has two overlapping live shifts (the exclusion constraint of 20261129000700; the
--     trigger says who and which shift in Chinese before the constraint would);
--   - a cell never holds more seats than the checkpoint's staff_required, even under concurrent assignment:
--     writes lock the checkpoint, then the volunteer (private.lock_checkpoints), so they queue.
-- Errors carry a Chinese message for people and a HINT for the app to map; each RPC's comment lists its hints.
--
-- Words: a shift is "live" unless cancelled (it blocks the volunteer's time); it "takes a seat" in its cell
-- when planned or done (a no-show blocks the volunteer but leaves the seat to a replacement).
-- Times are China Standard Time (Asia/Shanghai) wherever a day or a clock time is meant.

-- ---------------------------------------------------------------------------------------------------------
-- Helpers: geometry, time, names
-- ---------------------------------------------------------------------------------------------------------

-- Whether (lon, lat) lies inside a GeoJSON Polygon or MultiPolygon (holes count as outside). Ray casting per
-- polygon over all its rings (even-odd); a point exactly on an edge may fall either way. No PostGIS, so it
-- runs the same on PGlite, the CLI's stack and hosted Supabase. PL/pgSQL loops rather than one SQL query over
-- jsonb_array_elements × generate_series: the planner guesses millions of rows for that and JIT-compiles it,
-- about 0.4 s per call on PostgreSQL 15.
create function private.point_in_area(g jsonb, lon double precision, lat double precision) returns boolean
language plpgsql immutable parallel safe set search_path = '' as $$
declare
	v_polygons jsonb := case g ->> 'type'
		when 'Polygon' then jsonb_build_array(g -> 'coordinates')
		when 'MultiPolygon' then g -> 'coordinates'
		else '[]'::jsonb end;
	v_polygon jsonb;
	v_ring jsonb;
	v_inside boolean;
	x1 double precision;
	y1 double precision;
	x2 double precision;
	y2 double precision;
begin
	for p in 0 .. jsonb_array_length(v_polygons) - 1 loop
		v_polygon := v_polygons -> p;
		v_inside := false;
		for r in 0 .. jsonb_array_length(v_polygon) - 1 loop
			v_ring := v_polygon -> r;
			x1 := (v_ring -> 0 ->> 0)::double precision;
			y1 := (v_ring -> 0 ->> 1)::double precision;
			for i in 1 .. jsonb_array_length(v_ring) - 1 loop
				x2 := (v_ring -> i ->> 0)::double precision;
				y2 := (v_ring -> i ->> 1)::double precision;
				-- Nested, so the division never runs for a horizontal edge.
				if (y1 > lat) <> (y2 > lat) then
					if lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1 then
						v_inside := not v_inside;
					end if;
				end if;
				x1 := x2;
				y1 := y2;
			end loop;
		end loop;
		if v_inside then
			return true;
		end if;
	end loop;
	return false;
end $$;

-- Great-circle distance in metres (haversine on the mean Earth radius): ample for "who lives closest".
create function private.distance_m(lon1 double precision, lat1 double precision, lon2 double precision,
	lat2 double precision) returns double precision
language sql immutable parallel safe set search_path = '' as $$
	select 2 * 6371008.8 * asin(least(1, sqrt(
		power(sin(radians(lat2 - lat1) / 2), 2)
		+ cos(radians(lat1)) * cos(radians(lat2)) * power(sin(radians(lon2 - lon1) / 2), 2))))
$$;

-- 王建国 → 王**: how a person outside the caller's unit appears in the caller's roster.
create function private.mask_name(n text) returns text
language sql immutable parallel safe set search_path = '' as $$
	select case when n is null then null else left(n, 1) || repeat('*', greatest(char_length(n) - 1, 1)) end
$$;

-- The start of a calendar day in China Standard Time (the end is private.end_of_day, 20261129000900).
create function private.start_of_day(d date) returns timestamptz
language sql immutable set search_path = '' as $$
	select d::timestamp at time zone 'Asia/Shanghai'
$$;

-- A period as people read it: 2020-03-14 08:00–16:00, 2020-03-14 20:00–次日08:00.
create function private.period_text(p tstzrange) returns text
language sql immutable set search_path = '' as $$
	select to_char(lower(p) at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || '–' ||
		case (upper(p) at time zone 'Asia/Shanghai')::date - (lower(p) at time zone 'Asia/Shanghai')::date
			when 0 then to_char(upper(p) at time zone 'Asia/Shanghai', 'HH24:MI')
			when 1 then '次日' || to_char(upper(p) at time zone 'Asia/Shanghai', 'HH24:MI')
			else to_char(upper(p) at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') end
$$;

-- The parts of `period` during which a checkpoint with daily hours [open_from, open_until) is open, in time
-- order. open_from = open_until means around the clock; open_until < open_from runs past midnight.
create function private.open_parts(open_from time, open_until time, period tstzrange) returns setof tstzrange
language sql immutable set search_path = '' as $$
	select period where open_from = open_until
	union all
	select * from (
		select w.w_range * period
		from generate_series(0, (upper(period) at time zone 'Asia/Shanghai')::date
			- (lower(period) at time zone 'Asia/Shanghai')::date + 1) as k
		cross join lateral (select (lower(period) at time zone 'Asia/Shanghai')::date - 1 + k as d) day
		cross join lateral (select tstzrange((day.d + open_from)::timestamp at time zone 'Asia/Shanghai',
			(day.d + case when open_until < open_from then 1 else 0 end + open_until)::timestamp at time zone 'Asia/Shanghai',
			'[)') as w_range) w
		where open_from <> open_until and w.w_range && period
		order by lower(w.w_range)
	) parts
$$;

-- Whether a checkpoint with daily hours [open_from, open_until) is open at any moment of `period`.
create function private.checkpoint_open_during(open_from time, open_until time, period tstzrange) returns boolean
language sql immutable set search_path = '' as $$
	select exists (select 1 from private.open_parts(open_from, open_until, period))
$$;

-- The most seats taken at any one moment of `period` at a checkpoint, not counting shift `p_exclude`. The count
-- only rises where a shift begins, so the peak is at the period's start or at one of those beginnings.
create function private.cell_peak(p_checkpoint_id bigint, p_period tstzrange, p_exclude bigint default null)
returns int
language sql stable set search_path = '' as $$
	select coalesce(max((
		select count(*) from public.shifts s
		where s.checkpoint_id = p_checkpoint_id and s.status in ('planned', 'done') and s.period @> t.at
			and s.id is distinct from p_exclude
	)), 0)::int
	from (
		select lower(p_period) as at
		union
		select lower(s.period) from public.shifts s
		where s.checkpoint_id = p_checkpoint_id and s.status in ('planned', 'done') and s.period && p_period
			and lower(s.period) > lower(p_period) and s.id is distinct from p_exclude
	) t
$$;

-- Who is at a checkpoint across a cell (issue #20: a cell half covered by a 16–24 shift is not "nobody"). Over
-- the parts of `p_period` the checkpoint is open, with the seats taken (planned or done shifts):
--   low:  the fewest at any one moment (who is there throughout); peak: the most at any one moment;
--   assigned: the shifts taking a seat at some moment of the period;
--   uncovered: the stretches nobody is there, [{starts, ends}] in time order, and uncovered_hours their length
--     (none when p_required is 0: nobody is needed then);
--   missing_hours: seat-hours short of p_required (a seat empty for two hours is 2), what the gap is measured in;
--   open_hours: how long the checkpoint is open in the period.
-- The count changes only where a seat or an open part begins or ends, so the period is cut there and each
-- piece counted once. domain/roster.ts (staffingOver) is the same rule in TypeScript; the db test compares both.
create function private.cell_staffing(p_checkpoint_id bigint, p_period tstzrange, p_open_from time,
	p_open_until time, p_required int)
returns table (low int, peak int, assigned int, uncovered jsonb, uncovered_hours numeric, missing_hours numeric,
	open_hours numeric)
language sql stable set search_path = '' as $$
	with seats as (
		select s.period * p_period as p from public.shifts s
		where s.checkpoint_id = p_checkpoint_id and s.status in ('planned', 'done') and s.period && p_period
	), opened as (
		select o from private.open_parts(p_open_from, p_open_until, p_period) o
	), cuts as (
		select lower(o) as t from opened union select upper(o) from opened
		union select lower(p) from seats union select upper(p) from seats
	), pieces as (
		select c.t as a, lead(c.t) over (order by c.t) as b from cuts c
	), counted as (
		select pc.a, pc.b, (select count(*) from seats where seats.p @> pc.a)::int as n,
			extract(epoch from pc.b - pc.a) / 3600 as h
		from pieces pc
		where pc.b is not null and exists (select 1 from opened where opened.o @> pc.a)
	), nobody as (
		-- Runs of empty pieces that touch, merged: a new run starts where the previous empty piece ended earlier.
		select e.a, e.b, sum(e.starts_run) over (order by e.a) as run
		from (
			select c.a, c.b, case when lag(c.b) over (order by c.a) = c.a then 0 else 1 end as starts_run
			from counted c where c.n = 0 and p_required > 0
		) e
	)
	select coalesce((select min(n) from counted), 0), coalesce((select max(n) from counted), 0),
		(select count(*) from seats)::int,
		coalesce((select jsonb_agg(jsonb_build_object('starts', r.a, 'ends', r.b) order by r.a)
			from (select min(e.a) as a, max(e.b) as b from nobody e group by e.run) r), '[]'::jsonb),
		round(coalesce((select sum(c.h) from counted c where c.n = 0 and p_required > 0), 0)::numeric, 2),
		round(coalesce((select sum(greatest(p_required - c.n, 0) * c.h) from counted c), 0)::numeric, 2),
		round(coalesce((select sum(c.h) from counted c), 0)::numeric, 2)
$$;

-- Raises the double-booking error: names the volunteer and their live shift overlapping `p_period` (place and
-- times). SQLSTATE 23P01 as the constraint's own, HINT shift_conflict, DETAIL a JSON object whose shift_id is
-- the conflicting shift. Definer: the conflicting shift may lie outside the caller's unit; only its place and
-- times are told.
create function private.raise_shift_conflict(p_volunteer_id bigint, p_period tstzrange, p_exclude bigint default null)
returns void
language plpgsql security definer set search_path = '' as $$
declare
	v_name text;
	v_conflict record;
begin
	select v.name into v_name from public.volunteers v where v.id = p_volunteer_id;
	select s.id, s.period, s.checkpoint_id, coalesce(c.name, g.name, '') as place
	into v_conflict
	from public.shifts s
	left join public.checkpoints c on c.id = s.checkpoint_id
	left join public.units g on g.code = s.grid_code
	where s.volunteer_id = p_volunteer_id and s.status <> 'cancelled' and s.period && p_period
		and s.id is distinct from p_exclude
	order by lower(s.period), s.id
	limit 1;
	if v_conflict.id is null then
		raise exception '志愿者%在%已有班次', coalesce(v_name, '#' || p_volunteer_id), private.period_text(p_period)
			using errcode = 'exclusion_violation', hint = 'shift_conflict',
				detail = jsonb_build_object('shift_id', null, 'volunteer_id', p_volunteer_id)::text;
	end if;
	raise exception '志愿者%在该时段已有班次：%，%', coalesce(v_name, '#' || p_volunteer_id), v_conflict.place,
			private.period_text(v_conflict.period)
		using errcode = 'exclusion_violation', hint = 'shift_conflict',
			detail = jsonb_build_object('shift_id', v_conflict.id, 'volunteer_id', p_volunteer_id,
				'checkpoint_id', v_conflict.checkpoint_id, 'place', v_conflict.place,
				'starts', lower(v_conflict.period), 'ends', upper(v_conflict.period))::text;
end $$;

-- Row locks that make roster writers queue, held to the end of the transaction. Always taken in one order,
-- checkpoints before volunteers and each by id, so two writers never wait on each other in a circle.
-- FOR NO KEY UPDATE: writers exclude each other, while foreign-key checks of rows pointing at the locked one
-- (FOR KEY SHARE) pass. count(*) reads every row: a plain SQL function would stop after the first.
--   checkpoint: seat-takers of one checkpoint count its seats one at a time;
--   volunteer:  shifts of one volunteer are checked one at a time. Without it two overlapping inserts at two
--               checkpoints can each wait in the exclusion constraint for the other: a deadlock (40P01), seen
--               on PostgreSQL 15, instead of one landing and the other told why.
create function private.lock_checkpoints(p_ids bigint[]) returns void
language plpgsql security definer set search_path = '' as $$
begin
	perform count(*) from (
		select c.id from public.checkpoints c where c.id = any (p_ids) order by c.id for no key update of c
	) locked;
end $$;

create function private.lock_volunteers(p_ids bigint[]) returns void
language plpgsql security definer set search_path = '' as $$
begin
	perform count(*) from (
		select v.id from public.volunteers v where v.id = any (p_ids) order by v.id for no key update of v
	) locked;
end $$;

grant execute on all functions in schema private to authenticated, service_role;

-- ---------------------------------------------------------------------------------------------------------
-- Checkpoints: placed inside their community, by members only within their unit; closing is status 'closed'
-- ---------------------------------------------------------------------------------------------------------

create function private.check_checkpoint_place() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
	v_unit record;
	v_street_name text;
	v_found record;
begin
	if tg_op = 'UPDATE' then
		new.updated_at := now();
		if new.lon = old.lon and new.lat = old.lat and new.community_code = old.community_code then
			return new;
		end if;
	end if;
	-- A member (a request with a user) places checkpoints only in their own unit. Seeds and administrators
	-- (no user) are not members; RLS would refuse too, but without saying why.
	if auth.uid() is not null
		and not coalesce(private.is_personal_staff() and private.in_scope(new.community_code), false) then
		raise exception '无权在该社区设置检查点：%', new.community_code
			using errcode = 'insufficient_privilege', hint = 'checkpoint_outside_scope';
	end if;
	select u.code, u.name, u.parent_code, u.geometry, u.min_lon, u.min_lat, u.max_lon, u.max_lat
	into v_unit from public.units u where u.code = new.community_code;
	-- No boundary on record: nothing to check against (the foreign key reports a missing unit).
	if v_unit.geometry is null then
		return new;
	end if;
	if new.lon between v_unit.min_lon and v_unit.max_lon and new.lat between v_unit.min_lat and v_unit.max_lat
		and private.point_in_area(v_unit.geometry, new.lon, new.lat) then
		return new;
	end if;
	-- Outside its community: say where it is instead, if that is another community of the same street.
	select u.code, u.name into v_found
	from public.units u
	where u.parent_code = v_unit.parent_code and u.level = 'community' and u.code <> v_unit.code
		and new.lon between u.min_lon and u.max_lon and new.lat between u.min_lat and u.max_lat
		and private.point_in_area(u.geometry, new.lon, new.lat)
	order by u.code
	limit 1;
	if v_found.code is not null then
		raise exception '检查点不在%范围内：该位置属于%', v_unit.name, v_found.name
			using errcode = 'P0001', hint = 'checkpoint_outside_unit',
				detail = jsonb_build_object('community_code', v_unit.code, 'found_community_code', v_found.code)::text;
	end if;
	select s.name into v_street_name from public.units s where s.code = v_unit.parent_code;
	raise exception '检查点不在%范围内', coalesce(v_street_name, v_unit.name)
		using errcode = 'P0001', hint = 'checkpoint_outside_street',
			detail = jsonb_build_object('community_code', v_unit.code, 'street_code', v_unit.parent_code)::text;
end $$;

create trigger checkpoints_place before insert or update on public.checkpoints
	for each row execute function private.check_checkpoint_place();

-- What follows a checkpoint: its shifts move with it to another community, and closing it cancels the shifts
-- planned there from now on (they would block those volunteers' time for nothing).
create function private.follow_checkpoint() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
	if new.community_code <> old.community_code then
		update public.shifts s set community_code = new.community_code where s.checkpoint_id = new.id;
	end if;
	if new.status = 'closed' and old.status <> 'closed' then
		update public.shifts s set status = 'cancelled'
		where s.checkpoint_id = new.id and s.status = 'planned' and lower(s.period) >= now();
	end if;
	return null;
end $$;

create trigger checkpoints_follow after update of community_code, status on public.checkpoints
	for each row execute function private.follow_checkpoint();

-- A volunteer whose shift lies in another community (lent by the street) sees that checkpoint too.
alter policy "Checkpoints are viewable by members of their unit or above" on public.checkpoints
	using (
		(community_code >= (select private.scope_lo()) and community_code < (select private.scope_hi()))
		or id in (select s.checkpoint_id from public.shifts s where s.volunteer_id = (select private.my_volunteer_id()))
	);
alter policy "Checkpoints are viewable by members of their unit or above" on public.checkpoints
	rename to "Checkpoints are viewable in the unit and by volunteers on shift";

-- ---------------------------------------------------------------------------------------------------------
-- Shifts: the rules of a roster cell, for every write
-- ---------------------------------------------------------------------------------------------------------

-- Serves the capacity count and the gap grid: shifts of one checkpoint overlapping a period.
create index shifts_checkpoint_period_idx on public.shifts using gist (checkpoint_id, period)
	where status in ('planned', 'done');

create function private.check_shift() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
	v_new_volunteer boolean := tg_op = 'INSERT' or new.volunteer_id <> old.volunteer_id;
	v_was_live boolean := tg_op = 'UPDATE' and old.status <> 'cancelled';
	v_had_seat boolean := tg_op = 'UPDATE' and old.status in ('planned', 'done');
	v_moved boolean := tg_op = 'UPDATE'
		and (new.period <> old.period or new.checkpoint_id is distinct from old.checkpoint_id);
	v_check_conflict boolean;
	v_take_seat boolean;
	v_home text;
	v_cp record;
	v_peak int;
begin
	if new.status = 'cancelled' then
		return new;
	end if;
	v_check_conflict := v_new_volunteer or v_moved or not v_was_live;
	v_take_seat := new.checkpoint_id is not null and new.status in ('planned', 'done') and (v_moved or not v_had_seat);

	-- A member rosters only volunteers of their own unit: a commander those of the street (lending between its
	-- communities), a secretary those of her community.
	if v_new_volunteer and auth.uid() is not null then
		select v.home_unit_code into v_home from public.volunteers v where v.id = new.volunteer_id;
		if v_home is null or not coalesce(private.in_scope(v_home), false) then
			raise exception '无权安排该志愿者：不在你管辖的范围内'
				using errcode = 'insufficient_privilege', hint = 'volunteer_outside_scope';
		end if;
	end if;

	-- Writers to one checkpoint, and writers of one volunteer's shifts, queue here. In READ COMMITTED each
	-- statement below then sees everything committed before the locks were granted.
	if v_take_seat then
		perform private.lock_checkpoints(array[new.checkpoint_id]);
	end if;
	if v_check_conflict then
		perform private.lock_volunteers(array[new.volunteer_id]);
		-- The exclusion constraint refuses double booking anyway; checking first lets the error say who and where.
		if exists (select 1 from public.shifts s where s.volunteer_id = new.volunteer_id and s.status <> 'cancelled'
				and s.period && new.period and s.id <> new.id) then
			perform private.raise_shift_conflict(new.volunteer_id, new.period, new.id);
		end if;
	end if;

	if v_take_seat then
		select c.name, c.status, c.staff_required, c.open_from, c.open_until into v_cp
		from public.checkpoints c where c.id = new.checkpoint_id;
		if v_cp.status <> 'active' then
			raise exception '检查点「%」已%，不能排班', v_cp.name, case v_cp.status when 'closed' then '关闭' else '暂停' end
				using errcode = 'P0001', hint = 'checkpoint_not_active';
		end if;
		if not private.checkpoint_open_during(v_cp.open_from, v_cp.open_until, new.period) then
			raise exception '检查点「%」在%不开放（开放时间 %–%）', v_cp.name, private.period_text(new.period),
					to_char(v_cp.open_from, 'HH24:MI'), to_char(v_cp.open_until, 'HH24:MI')
				using errcode = 'P0001', hint = 'checkpoint_closed_hours';
		end if;
		v_peak := private.cell_peak(new.checkpoint_id, new.period, new.id);
		if v_peak >= v_cp.staff_required then
			raise exception '检查点「%」%已排满：需要%人，已安排%人', v_cp.name, private.period_text(new.period),
					v_cp.staff_required, v_peak
				using errcode = 'P0001', hint = 'cell_full',
					detail = jsonb_build_object('checkpoint_id', new.checkpoint_id, 'required', v_cp.staff_required,
						'staffed', v_peak)::text;
		end if;
	end if;
	return new;
end $$;

create trigger shifts_roster_rules before insert or update of volunteer_id, checkpoint_id, period, status
	on public.shifts for each row execute function private.check_shift();

-- ---------------------------------------------------------------------------------------------------------
-- RPCs for the roster page. Writes run as the caller (RLS decides what they may touch; the triggers above
-- apply the rules); reads that must show what RLS hides from the caller (a lent volunteer's masked name,
-- counts for leaders) run as definer and check scope themselves.
-- ---------------------------------------------------------------------------------------------------------

-- Refuses callers who may not roster (only community and street staff may).
create function private.require_roster_staff() returns void
language plpgsql stable set search_path = '' as $$
begin
	if not coalesce(private.is_personal_staff(), false) then
		raise exception '只有街道指挥长和社区书记可以排班' using errcode = 'insufficient_privilege', hint = 'not_allowed';
	end if;
end $$;

-- Refuses a unit code outside the caller's scope (or not a unit code at all).
create function private.require_unit_in_scope(p_unit text) returns void
language plpgsql stable set search_path = '' as $$
begin
	if p_unit is null or p_unit !~ '^[0-9]{4,15}$' or not coalesce(private.in_scope(p_unit), false) then
		raise exception '无权查看该单位：%', coalesce(p_unit, '(空)')
			using errcode = 'insufficient_privilege', hint = 'outside_scope';
	end if;
end $$;

grant execute on all functions in schema private to authenticated, service_role;

-- Puts a volunteer on a checkpoint for [p_starts, p_ends) and returns the new shift's id.
-- Errors (HINT): not_allowed, outside_scope (checkpoint not in the caller's unit), volunteer_outside_scope,
-- invalid_period, checkpoint_not_active, checkpoint_closed_hours, shift_conflict (DETAIL: JSON with the
-- conflicting shift_id), cell_full.
create function public.assign_shift(p_checkpoint_id bigint, p_volunteer_id bigint, p_starts timestamptz,
	p_ends timestamptz)
returns bigint
language plpgsql security invoker set search_path = '' as $$
declare
	v_community text;
	v_period tstzrange;
	v_id bigint;
	v_hint text;
begin
	perform private.require_roster_staff();
	if p_starts is null or p_ends is null or p_ends <= p_starts or p_ends - p_starts > interval '24 hours' then
		raise exception '班次时间无效：结束须晚于开始，且不超过24小时'
			using errcode = 'invalid_parameter_value', hint = 'invalid_period';
	end if;
	v_period := tstzrange(p_starts, p_ends, '[)');
	select c.community_code into v_community from public.checkpoints c
	where c.id = p_checkpoint_id and private.in_scope(c.community_code);
	if v_community is null then
		raise exception '检查点不存在或不在你的管辖范围内' using errcode = 'insufficient_privilege', hint = 'outside_scope';
	end if;
	begin
		insert into public.shifts (volunteer_id, checkpoint_id, community_code, period, status)
		values (p_volunteer_id, p_checkpoint_id, v_community, v_period, 'planned')
		returning id into v_id;
	exception when exclusion_violation then
		-- The trigger names conflicts itself (under the volunteer's lock); should the constraint ever be the one
		-- to catch a conflict, name it all the same.
		get stacked diagnostics v_hint = pg_exception_hint;
		if v_hint = 'shift_conflict' then
			raise;
		end if;
		perform private.raise_shift_conflict(p_volunteer_id, v_period, null);
	end;
	return v_id;
end $$;

-- Cancels a planned shift (the seat and the volunteer's time are free again). Cancelling a cancelled shift
-- does nothing. Errors (HINT): not_allowed, outside_scope, shift_not_planned (done or no-show: history).
create function public.cancel_shift(p_shift_id bigint) returns void
language plpgsql security invoker set search_path = '' as $$
declare
	v_status text;
begin
	perform private.require_roster_staff();
	select s.status into v_status from public.shifts s
	where s.id = p_shift_id and private.in_scope(s.community_code);
	if v_status is null then
		raise exception '班次不存在或不在你的管辖范围内' using errcode = 'insufficient_privilege', hint = 'outside_scope';
	elsif v_status in ('done', 'no_show') then
		raise exception '只能取消尚未执行的班次' using errcode = 'P0001', hint = 'shift_not_planned';
	elsif v_status = 'planned' then
		update public.shifts set status = 'cancelled' where id = p_shift_id;
	end if;
end $$;

-- Swaps the volunteers of two planned shifts, atomically: both land or neither. Every rule applies to the
-- result (each volunteer free at the other's time, within the caller's unit). Errors (HINT): not_allowed,
-- outside_scope, shift_not_planned, volunteer_outside_scope, shift_conflict, checkpoint_not_active.
create function public.swap_shifts(p_a bigint, p_b bigint) returns void
language plpgsql security invoker set search_path = '' as $$
declare
	v_a record;
	v_b record;
	v_hint text;
begin
	perform private.require_roster_staff();
	select s.id, s.volunteer_id, s.checkpoint_id, s.period, s.status into v_a from public.shifts s
	where s.id = p_a and private.in_scope(s.community_code) for update;
	select s.id, s.volunteer_id, s.checkpoint_id, s.period, s.status into v_b from public.shifts s
	where s.id = p_b and private.in_scope(s.community_code) for update;
	if v_a.id is null or v_b.id is null then
		raise exception '班次不存在或不在你的管辖范围内' using errcode = 'insufficient_privilege', hint = 'outside_scope';
	end if;
	if v_a.status <> 'planned' or v_b.status <> 'planned' then
		raise exception '只能调换尚未执行的班次' using errcode = 'P0001', hint = 'shift_not_planned';
	end if;
	if v_a.volunteer_id = v_b.volunteer_id then
		return;
	end if;
	perform private.lock_checkpoints(array[v_a.checkpoint_id, v_b.checkpoint_id]);
	perform private.lock_volunteers(array[v_a.volunteer_id, v_b.volunteer_id]);
	-- The exclusion constraint is checked row by row: take A out of it while B changes hands, then put A back.
	begin
		update public.shifts set status = 'cancelled' where id = v_a.id;
		update public.shifts set volunteer_id = v_a.volunteer_id where id = v_b.id;
		update public.shifts set volunteer_id = v_b.volunteer_id, status = 'planned' where id = v_a.id;
	exception when exclusion_violation then
		get stacked diagnostics v_hint = pg_exception_hint;
		if v_hint = 'shift_conflict' then
			raise;
		end if;
		perform private.raise_shift_conflict(v_a.volunteer_id, v_b.period, v_b.id);
	end;
end $$;

-- Copies the checkpoint shifts starting on day p_from (China Standard Time) in p_unit (a street or a
-- community) to day p_to, as planned shifts at the same checkpoints, volunteers and clock times. Shifts that
-- cannot land are skipped and reported, never half-written: already_rostered (the same shift is there),
-- shift_conflict, cell_full, checkpoint_not_active, checkpoint_closed_hours, volunteer_outside_scope. Any
-- other error fails the whole call. Returns one row: copied, skipped, and skipped_shifts as a JSON array of
-- {shift_id (the source), volunteer_id, checkpoint_id, starts, ends, reason, message}.
create function public.copy_roster_day(p_unit text, p_from date, p_to date)
returns table (copied int, skipped int, skipped_shifts jsonb)
language plpgsql security invoker set search_path = '' as $$
declare
	v_days int := p_to - p_from;
	v_src record;
	v_period tstzrange;
	v_copied int := 0;
	v_skipped jsonb := '[]'::jsonb;
	v_hint text;
	v_message text;
begin
	perform private.require_roster_staff();
	perform private.require_unit_in_scope(p_unit);
	if length(p_unit) not in (9, 12) then
		raise exception '只能按街道或社区复制排班' using errcode = 'invalid_parameter_value', hint = 'invalid_unit';
	end if;
	if p_from is null or p_to is null or v_days = 0 then
		raise exception '复制排班需要两个不同的日期' using errcode = 'invalid_parameter_value', hint = 'invalid_period';
	end if;
	perform private.check_day(p_unit, p_from, 14);
	perform private.check_day(p_unit, p_to, 14);
	-- Every lock up front, in the one order (see private.lock_checkpoints), so copies never deadlock.
	perform private.lock_checkpoints(array(select c.id from public.checkpoints c
		where c.community_code >= p_unit and c.community_code < p_unit || ':'));
	perform private.lock_volunteers(array(select distinct s.volunteer_id from public.shifts s
		where s.checkpoint_id is not null and s.status <> 'cancelled'
			and s.community_code >= p_unit and s.community_code < p_unit || ':'
			and lower(s.period) >= private.start_of_day(p_from) and lower(s.period) < private.end_of_day(p_from)));
	for v_src in
		select s.id, s.volunteer_id, s.checkpoint_id, s.community_code, s.period from public.shifts s
		where s.checkpoint_id is not null and s.status <> 'cancelled'
			and s.community_code >= p_unit and s.community_code < p_unit || ':'
			and lower(s.period) >= private.start_of_day(p_from) and lower(s.period) < private.end_of_day(p_from)
		order by s.checkpoint_id, lower(s.period), s.id
	loop
		v_period := tstzrange(((lower(v_src.period) at time zone 'Asia/Shanghai') + make_interval(days => v_days))
				at time zone 'Asia/Shanghai',
			((upper(v_src.period) at time zone 'Asia/Shanghai') + make_interval(days => v_days)) at time zone 'Asia/Shanghai',
			'[)');
		if exists (select 1 from public.shifts t where t.volunteer_id = v_src.volunteer_id
				and t.checkpoint_id = v_src.checkpoint_id and t.period = v_period and t.status <> 'cancelled') then
			v_hint := 'already_rostered';
			v_message := '目标日期已有相同班次';
		else
			v_hint := null;
			begin
				insert into public.shifts (volunteer_id, checkpoint_id, community_code, period, status)
				values (v_src.volunteer_id, v_src.checkpoint_id, v_src.community_code, v_period, 'planned');
				v_copied := v_copied + 1;
			exception when exclusion_violation or raise_exception or insufficient_privilege then
				get stacked diagnostics v_hint = pg_exception_hint, v_message = message_text;
				v_hint := nullif(v_hint, '');
				if v_hint is null and sqlstate = '23P01' then
					-- The constraint itself (a concurrent booking): a conflict like any other.
					v_hint := 'shift_conflict';
				elsif v_hint is null or v_hint not in ('shift_conflict', 'cell_full', 'checkpoint_not_active',
						'checkpoint_closed_hours', 'volunteer_outside_scope') then
					raise;
				end if;
			end;
		end if;
		if v_hint is not null then
			v_skipped := v_skipped || jsonb_build_object('shift_id', v_src.id, 'volunteer_id', v_src.volunteer_id,
				'checkpoint_id', v_src.checkpoint_id, 'starts', lower(v_period), 'ends', upper(v_period),
				'reason', v_hint, 'message', v_message);
		end if;
	end loop;
	return query select v_copied, jsonb_array_length(v_skipped), v_skipped;
end $$;

-- The gap grid for one day: one row per checkpoint of p_unit × slot. Slots are a JSON array of
-- {"from": "HH:MM", "to": "HH:MM", "label"?: text}; a "to" not after "from" ends the next day.
--   required: staff_required while the checkpoint is active and open in the slot, else 0;
--   staffed, peak: the fewest and the most seats taken at any one moment of the slot (while open);
--   assigned: shifts taking a seat at some moment of the slot;
--   uncovered, uncovered_hours: the stretches of the slot nobody is there (private.cell_staffing);
--   required_hours: required × the hours open in the slot; missing_hours: the seat-hours short of it, the gap
--     (a street's shortfall is their sum, so a night half covered counts half);
--   volunteers: the live shifts overlapping the slot, [{shift_id, volunteer_id, name, status, starts, ends,
--     home_unit_code, lent}], names masked (王**) for volunteers living outside the caller's unit; NULL for
--     leaders, who get the counts only.
-- Checkpoints closed for good appear only on days they had shifts. Volunteers may not call it (their own
-- shifts are in public.shifts).
create function public.roster_day(p_unit text, p_day date,
	p_slots jsonb default '[{"from":"08:00","to":"12:00"},{"from":"12:00","to":"16:00"},{"from":"16:00","to":"20:00"},{"from":"20:00","to":"08:00"}]'::jsonb)
returns table (
	checkpoint_id bigint, checkpoint_name text, kind text, checkpoint_status text, community_code text,
	community_name text, lon double precision, lat double precision, staff_required int,
	slot int, slot_label text, starts timestamptz, ends timestamptz,
	required int, staffed int, peak int, assigned int, uncovered jsonb, uncovered_hours numeric,
	required_hours numeric, missing_hours numeric, volunteers jsonb
)
-- jit off: for a city the planner's guess makes JIT compile the query, which costs more than it saves
-- (measured on PostgreSQL 15: 1.0 s with JIT, 0.6 s without, for 9,052 cells).
language plpgsql stable security definer set search_path = '' set jit = off as $$
declare
	v_names boolean := coalesce(private.is_personal_staff(), false);
begin
	if coalesce(private.my_role(), 'volunteer') = 'volunteer' then
		raise exception '无权查看排班' using errcode = 'insufficient_privilege', hint = 'not_allowed';
	end if;
	perform private.require_unit_in_scope(p_unit);
	-- Inside the response; a plan may look up to two weeks ahead.
	perform private.check_day(p_unit, p_day, 14);
	if p_day is null or jsonb_typeof(p_slots) is distinct from 'array' or jsonb_array_length(p_slots) not between 1 and 24
		or exists (select 1 from jsonb_array_elements(p_slots) e
			where jsonb_typeof(e) <> 'object'
				or coalesce(e ->> 'from', '') !~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
				or coalesce(e ->> 'to', '') !~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
				or length(e ->> 'label') > 20) then
		raise exception '班次设置无效：需要日期和 [{"from":"08:00","to":"12:00"}, …] 形式的时段'
			using errcode = 'invalid_parameter_value', hint = 'invalid_slots';
	end if;

	return query
	with slots as (
		select x.n::int as slot, coalesce(x.e ->> 'label', left(x.e ->> 'from', 2) || '-' || left(x.e ->> 'to', 2)) as label,
			tstzrange((p_day + (x.e ->> 'from')::time)::timestamp at time zone 'Asia/Shanghai',
				(p_day + case when (x.e ->> 'to')::time <= (x.e ->> 'from')::time then 1 else 0 end
					+ (x.e ->> 'to')::time)::timestamp at time zone 'Asia/Shanghai', '[)') as period
		from jsonb_array_elements(p_slots) with ordinality as x(e, n)
	), day as (
		select tstzrange(min(lower(s.period)), max(upper(s.period)), '[)') as span from slots s
	), cps as (
		select c.id, c.name, c.kind, c.status, c.community_code, u.name as community_name, c.lon, c.lat,
			c.staff_required, c.open_from, c.open_until
		from public.checkpoints c
		join public.units u on u.code = c.community_code
		where c.community_code >= p_unit and c.community_code < p_unit || ':'
			and (c.status <> 'closed' or exists (select 1 from public.shifts s, day
				where s.checkpoint_id = c.id and s.status in ('planned', 'done') and s.period && day.span))
	)
	select cp.id, cp.name, cp.kind, cp.status, cp.community_code::text, cp.community_name, cp.lon, cp.lat,
		cp.staff_required, sl.slot, sl.label, lower(sl.period), upper(sl.period),
		r.required, st.low, st.peak, st.assigned, st.uncovered, st.uncovered_hours,
		round(r.required * st.open_hours, 2), st.missing_hours,
		case when v_names then coalesce((
			select jsonb_agg(jsonb_build_object('shift_id', s.id, 'volunteer_id', s.volunteer_id,
				'name', case when private.in_scope(v.home_unit_code) then v.name else private.mask_name(v.name) end,
				'status', s.status, 'starts', lower(s.period), 'ends', upper(s.period),
				'home_unit_code', v.home_unit_code, 'lent', v.home_unit_code <> cp.community_code)
				order by lower(s.period), s.id)
			from public.shifts s join public.volunteers v on v.id = s.volunteer_id
			where s.checkpoint_id = cp.id and s.status <> 'cancelled' and s.period && sl.period), '[]'::jsonb)
		end
	from cps cp
	cross join slots sl
	cross join lateral (
		select case when cp.status = 'active' and private.checkpoint_open_during(cp.open_from, cp.open_until, sl.period)
			then cp.staff_required else 0 end as required
	) r
	cross join lateral private.cell_staffing(cp.id, sl.period, cp.open_from, cp.open_until, r.required) st
	order by cp.community_code, cp.id, sl.slot;
end $$;

-- Volunteers who could fill a cell: those living in the caller's unit (a commander's street, so lending
-- between its communities; a secretary's community), nearest home first. Filters are optional:
-- organisation, team, a skill, home community, and p_free_only (only those with no live shift overlapping
-- [p_starts, p_ends)). `free` = false comes with the first conflicting shift (id and text). distance_m is NULL
-- for volunteers without a home location (listed last). Errors (HINT): not_allowed, outside_scope,
-- invalid_period.
create function public.roster_candidates(p_checkpoint_id bigint, p_starts timestamptz, p_ends timestamptz,
	p_organisation_id bigint default null, p_team_id bigint default null, p_skill text default null,
	p_home_unit text default null, p_free_only boolean default false, p_limit int default 100)
returns table (
	volunteer_id bigint, name text, kind text, phone_masked text, organisation_id bigint, organisation_name text,
	team_id bigint, team_name text, skills text[], home_unit_code text, home_unit_name text, lent boolean,
	free boolean, conflict_shift_id bigint, conflict text, distance_m double precision
)
language plpgsql stable security definer set search_path = '' as $$
declare
	v_cp record;
	v_period tstzrange;
	v_unit text := private.my_unit();
begin
	perform private.require_roster_staff();
	if p_starts is null or p_ends is null or p_ends <= p_starts or p_ends - p_starts > interval '24 hours' then
		raise exception '班次时间无效：结束须晚于开始，且不超过24小时'
			using errcode = 'invalid_parameter_value', hint = 'invalid_period';
	end if;
	v_period := tstzrange(p_starts, p_ends, '[)');
	select c.id, c.community_code, c.lon, c.lat into v_cp from public.checkpoints c
	where c.id = p_checkpoint_id and private.in_scope(c.community_code);
	if v_cp.id is null then
		raise exception '检查点不存在或不在你的管辖范围内' using errcode = 'insufficient_privilege', hint = 'outside_scope';
	end if;

	return query
	select v.id, v.name, v.kind, v.phone_masked, v.organisation_id, o.name, v.team_id, t.name, v.skills,
		v.home_unit_code::text, h.name, v.home_unit_code <> v_cp.community_code,
		busy.id is null, busy.id,
		case when busy.id is not null then busy.place || '，' || private.period_text(busy.period) end,
		case when v.home_lon is not null
			then round(private.distance_m(v.home_lon, v.home_lat, v_cp.lon, v_cp.lat)::numeric, 1)::double precision end
	from public.volunteers v
	join public.units h on h.code = v.home_unit_code
	left join public.organisations o on o.id = v.organisation_id
	left join public.volunteer_teams t on t.id = v.team_id
	left join lateral (
		select s.id, s.period, coalesce(c.name, g.name, '') as place
		from public.shifts s
		left join public.checkpoints c on c.id = s.checkpoint_id
		left join public.units g on g.code = s.grid_code
		where s.volunteer_id = v.id and s.status <> 'cancelled' and s.period && v_period
		order by lower(s.period), s.id
		limit 1
	) busy on true
	where v.home_unit_code >= v_unit and v.home_unit_code < v_unit || ':'
		and (p_organisation_id is null or v.organisation_id = p_organisation_id)
		and (p_team_id is null or v.team_id = p_team_id)
		and (p_skill is null or p_skill = any (v.skills))
		and (p_home_unit is null or v.home_unit_code = p_home_unit)
		and (not coalesce(p_free_only, false) or busy.id is null)
	order by 16 nulls last, v.id
	limit least(greatest(coalesce(p_limit, 100), 1), 500);
end $$;

-- Hours served, grouped by p_by: 'volunteer', 'team' or 'organisation', over shifts served in p_unit (where the
-- checkpoint or grid is) that started on or after day p_from (if given) and were over by the end of day p_to
-- (if given) and by now. A shift counts when it took place: not cancelled, not a no-show (a planned shift
-- whose time has passed counts: nobody marked it otherwise). Rows: group_by, id (NULL for volunteers without
-- a team or organisation), name, volunteers, shifts, hours; most hours first.
-- Leaders get teams and organisations only (aggregates_only for 'volunteer'); a volunteer gets their own row
-- only (all their shifts, wherever served); staff get names of volunteers living in their unit, masked for
-- others.
create function public.hours_served(p_unit text, p_from date default null, p_to date default null,
	p_by text default 'organisation')
returns table (group_by text, id bigint, name text, volunteers bigint, shifts bigint, hours numeric)
language plpgsql stable security definer set search_path = '' as $$
declare
	v_role text := private.my_role();
	v_me bigint := private.my_volunteer_id();
	v_until timestamptz := least(now(), case when p_to is null then 'infinity'::timestamptz else private.end_of_day(p_to) end);
	v_since timestamptz := case when p_from is null then '-infinity'::timestamptz else private.start_of_day(p_from) end;
begin
	if p_by is null or p_by not in ('volunteer', 'team', 'organisation') then
		raise exception '分组方式须为 volunteer、team 或 organisation' using errcode = 'invalid_parameter_value',
			hint = 'invalid_group';
	end if;
	perform private.require_unit_in_scope(p_unit);
	if v_role = 'leader' and p_by = 'volunteer' then
		raise exception '领导只能查看队伍和组织的汇总' using errcode = 'insufficient_privilege', hint = 'aggregates_only';
	end if;
	if v_role = 'volunteer' and (p_by <> 'volunteer' or v_me is null) then
		raise exception '志愿者只能查看自己的服务时长' using errcode = 'insufficient_privilege', hint = 'not_allowed';
	end if;

	return query
	with served as (
		select s.volunteer_id, v.team_id, v.organisation_id, v.name as volunteer_name, v.home_unit_code,
			extract(epoch from upper(s.period) - lower(s.period)) / 3600 as h
		from public.shifts s
		join public.volunteers v on v.id = s.volunteer_id
		where (case when v_role = 'volunteer' then s.volunteer_id = v_me
				else s.community_code >= p_unit and s.community_code < p_unit || ':' end)
			and s.status in ('planned', 'done')
			and lower(s.period) >= v_since and upper(s.period) <= v_until
	), grouped as (
		select case p_by when 'volunteer' then sv.volunteer_id when 'team' then sv.team_id else sv.organisation_id end as gid,
			min(sv.volunteer_name) as volunteer_name, min(sv.home_unit_code) as home_unit_code,
			count(distinct sv.volunteer_id) as volunteers, count(*) as shifts, round(sum(sv.h)::numeric, 2) as hours
		from served sv
		group by 1
	)
	select p_by, g.gid,
		case p_by
			when 'volunteer' then case when private.in_scope(g.home_unit_code) or g.gid = v_me
				then g.volunteer_name else private.mask_name(g.volunteer_name) end
			when 'team' then coalesce((select t.name from public.volunteer_teams t where t.id = g.gid), '（无队伍）')
			else coalesce((select o.name from public.organisations o where o.id = g.gid), '（无组织）') end,
		g.volunteers, g.shifts, g.hours
	from grouped g
	order by g.hours desc, g.gid nulls last;
end $$;

revoke execute on function public.assign_shift(bigint, bigint, timestamptz, timestamptz) from public, anon;
revoke execute on function public.cancel_shift(bigint) from public, anon;
revoke execute on function public.swap_shifts(bigint, bigint) from public, anon;
revoke execute on function public.copy_roster_day(text, date, date) from public, anon;
revoke execute on function public.roster_day(text, date, jsonb) from public, anon;
revoke execute on function public.roster_candidates(bigint, timestamptz, timestamptz, bigint, bigint, text, text,
	boolean, int) from public, anon;
revoke execute on function public.hours_served(text, date, date, text) from public, anon;
grant execute on function public.assign_shift(bigint, bigint, timestamptz, timestamptz) to authenticated;
grant execute on function public.cancel_shift(bigint) to authenticated;
grant execute on function public.swap_shifts(bigint, bigint) to authenticated;
grant execute on function public.copy_roster_day(text, date, date) to authenticated;
grant execute on function public.roster_day(text, date, jsonb) to authenticated;
grant execute on function public.roster_candidates(bigint, timestamptz, timestamptz, bigint, bigint, text, text,
	boolean, int) to authenticated;
grant execute on function public.hours_served(text, date, date, text) to authenticated;
