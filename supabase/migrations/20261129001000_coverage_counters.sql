-- Per-grid counters behind the coverage roll-ups, so a city view costs what the number of units and days
-- costs, not the number of households (about 1.5 million at full city scale). Kept exact by triggers on
-- households and screenings; `private.rebuild_coverage_counters()` recomputes them from the records (after a
-- bulk load that ran with triggers off, and in tests that compare them with an independent count).
--
-- A household's *effective* screenings are the ones that reached it (outcome normal or flagged, not
-- unreachable). Days are Asia/Shanghai dates, like the app's "as of" date.
--
--   private.grid_households          households per grid
--   private.grid_first_screenings    per grid, round and day: households first reached in that round that day
--                                    → screened as of D in round R = sum over days <= D
--   private.grid_screening_spans     per grid: (day, next_day) pairs, one per household and effective
--                                    screening day, next_day being its following effective day ('infinity'
--                                    when none) → households screened within the last N days as of D =
--                                    sum where D - N < day <= D and next_day > D
--   private.grid_screenings_daily    per grid, day, method and outcome: screenings recorded (charts)
--   private.household_screening_state  what each household contributes now, so a change can be undone exactly

create table private.grid_households (
	grid_code text collate "C" primary key,
	households int not null
);
create table private.grid_first_screenings (
	grid_code text collate "C" not null,
	round_id bigint not null,
	day date not null,
	households int not null,
	primary key (grid_code, round_id, day)
);
create table private.grid_screening_spans (
	grid_code text collate "C" not null,
	day date not null,
	next_day date not null,
	households int not null,
	primary key (grid_code, day, next_day)
);
create table private.grid_screenings_daily (
	grid_code text collate "C" not null,
	day date not null,
	method text not null,
	outcome text not null,
	screenings int not null,
	primary key (grid_code, day, method, outcome)
);
create table private.household_screening_state (
	household_id bigint primary key,
	grid_code text collate "C" not null,
	-- distinct effective screening days, ascending
	days date[] not null,
	-- the first effective day in each round: round_ids[i] ↔ first_days[i]
	round_ids bigint[] not null,
	first_days date[] not null
);
-- Not exposed through the API (schema private); only the security definer functions below read them.
revoke all on private.grid_households, private.grid_first_screenings, private.grid_screening_spans,
	private.grid_screenings_daily, private.household_screening_state from public, anon, authenticated;

create function private.shanghai_day(t timestamptz) returns date
language sql immutable set search_path = '' as $$
	select (t at time zone 'Asia/Shanghai')::date
$$;

-- Adds (sign 1) or removes (sign -1) one household's contribution to its grid's counters.
create function private.apply_screening_state(
	p_grid text, p_days date[], p_round_ids bigint[], p_first_days date[], p_sign int
) returns void
language plpgsql security definer set search_path = '' as $$
declare
	i int;
begin
	for i in 1 .. coalesce(array_length(p_days, 1), 0) loop
		insert into private.grid_screening_spans as s (grid_code, day, next_day, households)
		values (p_grid, p_days[i], coalesce(p_days[i + 1], 'infinity'::date), p_sign)
		on conflict (grid_code, day, next_day) do update set households = s.households + excluded.households;
	end loop;
	for i in 1 .. coalesce(array_length(p_round_ids, 1), 0) loop
		insert into private.grid_first_screenings as f (grid_code, round_id, day, households)
		values (p_grid, p_round_ids[i], p_first_days[i], p_sign)
		on conflict (grid_code, round_id, day) do update set households = f.households + excluded.households;
	end loop;
end $$;

-- Recomputes one household's state from its screenings and moves the counters from the old state to the new.
create function private.refresh_household_screening(p_household_id bigint) returns void
language plpgsql security definer set search_path = '' as $$
declare
	v_old private.household_screening_state;
	v_grid text;
	v_days date[];
	v_round_ids bigint[];
	v_first_days date[];
begin
	select * into v_old from private.household_screening_state where household_id = p_household_id for update;
	select h.grid_code into v_grid from public.households h where h.id = p_household_id;
	if v_grid is not null then
		select coalesce(array_agg(distinct private.shanghai_day(s.screened_at) order by private.shanghai_day(s.screened_at)), '{}')
		into v_days
		from public.screenings s
		where s.household_id = p_household_id and s.outcome <> 'unreachable';
		select coalesce(array_agg(r.round_id order by r.round_id), '{}'), coalesce(array_agg(r.first_day order by r.round_id), '{}')
		into v_round_ids, v_first_days
		from (
			select s.round_id, min(private.shanghai_day(s.screened_at)) as first_day
			from public.screenings s
			where s.household_id = p_household_id and s.outcome <> 'unreachable'
			group by s.round_id
		) r;
	end if;
	if v_old.household_id is not null then
		if v_old.grid_code = v_grid and v_old.days = v_days and v_old.round_ids = v_round_ids
			and v_old.first_days = v_first_days then
			return;
		end if;
		perform private.apply_screening_state(v_old.grid_code, v_old.days, v_old.round_ids, v_old.first_days, -1);
		delete from private.household_screening_state where household_id = p_household_id;
	end if;
	-- A deleted household (cascading to its screenings) leaves nothing behind.
	if v_grid is not null and cardinality(v_days) > 0 then
		perform private.apply_screening_state(v_grid, v_days, v_round_ids, v_first_days, 1);
		insert into private.household_screening_state values (p_household_id, v_grid, v_days, v_round_ids, v_first_days);
	end if;
end $$;

create function private.bump_grid_screenings_daily(p_grid text, p_at timestamptz, p_method text, p_outcome text, p_sign int)
returns void
language sql security definer set search_path = '' as $$
	insert into private.grid_screenings_daily as d (grid_code, day, method, outcome, screenings)
	values (p_grid, private.shanghai_day(p_at), p_method, p_outcome, p_sign)
	on conflict (grid_code, day, method, outcome) do update set screenings = d.screenings + excluded.screenings
$$;

create function private.screenings_counters() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
	if tg_op in ('UPDATE', 'DELETE') then
		perform private.bump_grid_screenings_daily(old.grid_code, old.screened_at, old.method, old.outcome, -1);
		perform private.refresh_household_screening(old.household_id);
	end if;
	if tg_op in ('INSERT', 'UPDATE') then
		perform private.bump_grid_screenings_daily(new.grid_code, new.screened_at, new.method, new.outcome, 1);
		if tg_op = 'INSERT' or new.household_id <> old.household_id then
			perform private.refresh_household_screening(new.household_id);
		end if;
	end if;
	return null;
end $$;
create trigger screenings_counters after insert or update or delete on public.screenings
	for each row execute function private.screenings_counters();

create function private.households_counters() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
	if tg_op in ('UPDATE', 'DELETE') then
		update private.grid_households set households = households - 1 where grid_code = old.grid_code;
	end if;
	if tg_op in ('INSERT', 'UPDATE') then
		insert into private.grid_households as g (grid_code, households) values (new.grid_code, 1)
		on conflict (grid_code) do update set households = g.households + 1;
	end if;
	-- A household moved to another grid (a boundary edit) takes its screenings' contribution along.
	if tg_op = 'UPDATE' then
		perform private.refresh_household_screening(new.id);
	end if;
	return null;
end $$;
create trigger households_counters after insert or delete or update of grid_code on public.households
	for each row execute function private.households_counters();

-- Recomputes every counter from the records: after a bulk load with triggers off, or to check them.
create function private.rebuild_coverage_counters() returns void
language plpgsql security definer set search_path = '' as $$
begin
	truncate private.grid_households, private.grid_first_screenings, private.grid_screening_spans,
		private.grid_screenings_daily, private.household_screening_state;

	insert into private.grid_households (grid_code, households)
	select h.grid_code, count(*) from public.households h group by h.grid_code;

	insert into private.grid_screenings_daily (grid_code, day, method, outcome, screenings)
	select s.grid_code, private.shanghai_day(s.screened_at), s.method, s.outcome, count(*)
	from public.screenings s group by 1, 2, 3, 4;

	insert into private.household_screening_state (household_id, grid_code, days, round_ids, first_days)
	with effective as (
		select s.household_id, s.round_id, private.shanghai_day(s.screened_at) as day
		from public.screenings s where s.outcome <> 'unreachable'
	), days as (
		select e.household_id, array_agg(distinct e.day order by e.day) as days from effective e group by 1
	), firsts as (
		select f.household_id, array_agg(f.round_id order by f.round_id) as round_ids,
			array_agg(f.first_day order by f.round_id) as first_days
		from (select e.household_id, e.round_id, min(e.day) as first_day from effective e group by 1, 2) f
		group by 1
	)
	select h.id, h.grid_code, d.days, f.round_ids, f.first_days
	from days d join firsts f using (household_id) join public.households h on h.id = d.household_id;

	insert into private.grid_first_screenings (grid_code, round_id, day, households)
	select st.grid_code, r.round_id, r.first_day, count(*)
	from private.household_screening_state st,
		unnest(st.round_ids, st.first_days) as r(round_id, first_day)
	group by 1, 2, 3;

	insert into private.grid_screening_spans (grid_code, day, next_day, households)
	select st.grid_code, d.day, coalesce(st.days[d.i + 1], 'infinity'::date), count(*)
	from private.household_screening_state st,
		unnest(st.days) with ordinality as d(day, i)
	group by 1, 2, 3;
end $$;
revoke execute on function private.rebuild_coverage_counters() from public, anon, authenticated;

-- The current round of a unit on a day, inside the response in effect then: the latest started round of the unit
-- or above it; failing that (a city watching a district's response), the widest round below it.
create function private.round_on(p_unit text, p_day date) returns bigint
language sql stable security definer set search_path = '' as $$
	select r.id from public.screening_rounds r
	where r.response_id = (private.response_on(p_unit, p_day)).id
		and private.codes_nest(p_unit, r.unit_code) and r.starts_on <= p_day
	order by (left(p_unit, length(r.unit_code)) = r.unit_code) desc,
		case when left(p_unit, length(r.unit_code)) = r.unit_code then 0 else length(r.unit_code) end,
		r.starts_on desc, r.id desc
	limit 1
$$;

create function private.child_code_length(p_unit text) returns int
language sql immutable set search_path = '' as $$
	select case length(p_unit) when 4 then 6 when 6 then 9 when 9 then 12 else 15 end
$$;

-- The rounds current in a unit's area on a day: in the response in effect, over the unit, above it or below it,
-- the latest started by then over each unit. A grid counts in the one over the deepest of those units above it
-- (a community's own round over the district's).
create function private.current_rounds(p_unit text, p_day date)
returns table (round_id bigint, unit_code text)
language sql stable security definer set search_path = '' as $$
	select distinct on (r.unit_code) r.id, r.unit_code::text
	from public.screening_rounds r
	where r.response_id = (private.response_on(p_unit, p_day)).id
		and private.codes_nest(p_unit, r.unit_code) and r.starts_on <= p_day
	order by r.unit_code, r.starts_on desc, r.id desc
$$;

-- Households covered in a unit's grids on a day: reached in the round (p_round given), or in each grid's current
-- round (p_round null, see current_rounds), or screened in any round within the last p_valid_days days (a span
-- whose day lies in (D - N, D] and whose next screening is after D: each household counted once, by its latest
-- screening).
create function private.covered_by_child(p_unit text, p_child_len int, p_day date, p_round bigint, p_valid_days int)
returns table (child_code text, covered bigint)
language sql stable security definer set search_path = '' as $$
	with cur as materialized (
		select * from private.current_rounds(p_unit, p_day) where p_valid_days is null and p_round is null
	)
	select left(f.grid_code, p_child_len), sum(f.households)::bigint
	from private.grid_first_screenings f
	where p_valid_days is null and p_round is not null and f.grid_code >= p_unit and f.grid_code < p_unit || ':'
		and f.round_id = p_round and f.day <= p_day
	group by 1
	union all
	select left(f.grid_code, p_child_len), sum(f.households)::bigint
	from private.grid_first_screenings f
	join cur c on c.round_id = f.round_id and left(f.grid_code, length(c.unit_code)) = c.unit_code
	where f.grid_code >= p_unit and f.grid_code < p_unit || ':' and f.day <= p_day
		and not exists (select 1 from cur d where length(d.unit_code) > length(c.unit_code)
			and left(f.grid_code, length(d.unit_code)) = d.unit_code)
	group by 1
	union all
	select left(s.grid_code, p_child_len), sum(s.households)::bigint
	from private.grid_screening_spans s
	where p_valid_days is not null and s.grid_code >= p_unit and s.grid_code < p_unit || ':'
		and s.day > p_day - p_valid_days and s.day <= p_day and s.next_day > p_day
	group by 1
$$;

-- Households whose coverage expired on the day: covered the day before, not any more (their latest screening
-- fell out of the N-day window and none came that day).
create function private.lost_by_child(p_unit text, p_child_len int, p_day date, p_valid_days int)
returns table (child_code text, lost bigint)
language sql stable security definer set search_path = '' as $$
	select left(s.grid_code, p_child_len), sum(s.households)::bigint
	from private.grid_screening_spans s
	where s.grid_code >= p_unit and s.grid_code < p_unit || ':'
		and s.day = p_day - p_valid_days and s.next_day > p_day
	group by 1
$$;

-- Replaces the foundation's version (which scanned households), with coverage that expires as an option.
drop function public.coverage_by_unit(text, date, bigint);

-- One row for `p_unit` and one per child: households, screened (covered), remaining, coverage; the same
-- "covered" the day before and, when coverage expires (p_valid_days), the households lost since yesterday.
-- Counts of 1–2 withheld from aggregate-only viewers.
create function public.coverage_by_unit(
	p_unit text, p_as_of date default null, p_round_id bigint default null, p_valid_days int default null
)
returns table (
	code text, name text, level text, is_parent boolean,
	households bigint, screened bigint, remaining bigint, coverage numeric, suppressed boolean,
	round_id bigint, as_of date, screened_prev bigint, lost bigint, valid_days int
)
language plpgsql stable security definer set search_path = '' as $$
declare
	v_as_of date := coalesce(p_as_of, private.shanghai_day(now()));
	v_round bigint := coalesce(p_round_id, private.round_on(p_unit, coalesce(p_as_of, private.shanghai_day(now()))));
	v_child_len int := private.child_code_length(p_unit);
	v_suppress boolean := not coalesce(private.is_personal_staff(), false);
begin
	if p_unit is null or p_unit !~ '^[0-9]{4,15}$' or not coalesce(private.in_scope(p_unit), false) then
		raise exception '无权查看该单位：%', coalesce(p_unit, '(空)') using errcode = 'insufficient_privilege';
	end if;
	if p_valid_days is not null and p_valid_days not between 1 and 60 then
		raise exception '有效天数须在 1 到 60 之间' using errcode = 'invalid_parameter_value';
	end if;
	perform private.check_day(p_unit, v_as_of);

	return query
	with hh as (
		select left(g.grid_code, v_child_len) as child_code, sum(g.households)::bigint as households
		from private.grid_households g
		where g.grid_code >= p_unit and g.grid_code < p_unit || ':'
		group by 1
	), sc as (
		select * from private.covered_by_child(p_unit, v_child_len, v_as_of, p_round_id, p_valid_days)
	), prev as (
		select * from private.covered_by_child(p_unit, v_child_len, v_as_of - 1, p_round_id, p_valid_days)
	), lost as (
		select * from private.lost_by_child(p_unit, v_child_len, v_as_of, p_valid_days) where p_valid_days is not null
	), counted as (
		select u.code, u.name, u.level, u.code = p_unit as is_parent,
			case when u.code = p_unit then (select coalesce(sum(hh.households), 0)::bigint from hh)
				else coalesce((select hh.households from hh where hh.child_code = u.code), 0) end as households,
			case when u.code = p_unit then (select coalesce(sum(sc.covered), 0)::bigint from sc)
				else coalesce((select sc.covered from sc where sc.child_code = u.code), 0) end as screened,
			case when u.code = p_unit then (select coalesce(sum(prev.covered), 0)::bigint from prev)
				else coalesce((select prev.covered from prev where prev.child_code = u.code), 0) end as screened_prev,
			case when p_valid_days is null then null
				when u.code = p_unit then (select coalesce(sum(lost.lost), 0)::bigint from lost)
				else coalesce((select lost.lost from lost where lost.child_code = u.code), 0) end as lost
		from public.units u
		where u.code = p_unit or u.parent_code = p_unit
	)
	select c.code::text, c.name, c.level, c.is_parent,
		private.suppress_small(c.households, v_suppress),
		private.suppress_small(c.screened, v_suppress),
		private.suppress_small(c.households - c.screened, v_suppress),
		case when c.households = 0 or (v_round is null and p_valid_days is null) then null
			when v_suppress and (c.households between 1 and 2 or c.screened between 1 and 2) then null
			else round(c.screened::numeric / c.households, 4) end,
		v_suppress and (c.households between 1 and 2 or c.screened between 1 and 2
			or c.households - c.screened between 1 and 2),
		v_round, v_as_of,
		private.suppress_small(c.screened_prev, v_suppress),
		private.suppress_small(c.lost, v_suppress),
		p_valid_days
	from counted c
	order by c.is_parent desc, c.code;
end $$;
revoke execute on function public.coverage_by_unit(text, date, bigint, int) from public, anon;
grant execute on function public.coverage_by_unit(text, date, bigint, int) to authenticated;
