-- Live updates (issue #17): Supabase Realtime "Broadcast from Database" on private channels, one topic per unit.
--
-- Topics: `unit:<code>` for every unit (city 4 digits › district 6 › street 9 › community 12 › grid 15).
-- A member may join a unit's topic when the unit is theirs or below it (private.in_scope: a volunteer's scope
-- is their community); nobody may send on these topics (no INSERT policy), only the database does.
--
-- Events, each sent to the topic of the row's grid (or community) and of every unit above it, one message per
-- topic: `coverage` (screenings recorded), `claims` (building claims taken, extended, released), `roster`
-- (shifts), `leads`. A payload holds codes, ids, days and counts only — never names, phones or health
-- details — so a leader receives nothing a leader may not see:
--   { unit, count, first_day, last_day, code, id, window_ms }
-- `unit` is the topic's unit; `count` the rows the statement changed under it; `first_day`/`last_day` their days
-- (Asia/Shanghai); `code` the grid or community and `id` the building, shift or lead when the statement
-- touched exactly one (else null; screenings carry no id).
--
-- The `realtime` schema, realtime.messages, realtime.topic() and realtime.send() are hosted Supabase's own
-- (the embedded stack's bootstrap.sql and the PostgreSQL 15 test harness create the same): never created here.

-- ---------------------------------------------------------------------------------------------------------
-- Who may join which topic
-- ---------------------------------------------------------------------------------------------------------

-- The unit code of a `unit:<code>` topic, or null for any other topic (so no policy can match it).
create function private.topic_unit(p_topic text) returns text
language sql immutable parallel safe set search_path = '' as $$
	select case when p_topic ~ '^unit:[0-9]{4,15}$' then substr(p_topic, 6) end
$$;
grant execute on function private.topic_unit(text) to authenticated, service_role;

-- Hosted Realtime checks a join by reading realtime.messages as the caller with realtime.topic() set to the
-- channel's topic: a row is visible exactly when this policy lets the caller receive that topic.
create policy "Members receive the broadcasts of units in their scope"
	on realtime.messages for select to authenticated
	using (
		extension = 'broadcast'
		-- a signed-out session or a banned account joins nothing, as /rest/v1 answers it nothing
		and (select guard.session_alive())
		and private.in_scope(private.topic_unit((select realtime.topic())))
		and exists (select 1 from public.units u where u.code = private.topic_unit((select realtime.topic())))
	);

-- ---------------------------------------------------------------------------------------------------------
-- Coalescing bursts: a leading-edge throttle per topic and event
-- ---------------------------------------------------------------------------------------------------------
--
-- A thousand screenings in a second must not become a thousand messages a subscriber. The first change of a
-- topic and event sends at once; further changes within the window W after that send are not sent. A client
-- that refetches no earlier than W after a message (window_ms is in every payload) misses nothing:
--   - a change skipped by the throttle happened less than W after the message that skipped it was sent, so it
--     was written (and, with a statement as short as these writes, committed) before the client's refetch;
--   - a change after the window sends a message of its own, which starts the next refetch.
-- Works on hosted Supabase and PostgreSQL 15 alike: no pg_cron, no trailing timer, only a row per topic and
-- event. Its cost on every write is one indexed read per topic (5 at most); the row is written, and locked
-- till commit, once per window, and a writer never waits for it: of two writers at a window's edge, the second
-- finds the row locked (SKIP LOCKED) or already moved on, and leaves the sending to the first. (So a write never
-- deadlocks on the throttle with, say, the roster's checkpoint locks. Should the first writer roll back, the
-- second's change is announced with the next change under that topic.) Only the very first message of a topic
-- may wait, for a concurrent insert of its row.
-- Bulk loads (the demo seed) set `wanggetong.realtime = off` for their session (and run as replica, where no
-- trigger fires): nothing is sent for them.

create table private.realtime_sent (
	topic text collate "C" not null,
	event text collate "C" not null,
	sent_at timestamptz not null,
	primary key (topic, event)
);
revoke all on private.realtime_sent from public, anon, authenticated;

-- W, in milliseconds.
create function private.realtime_window_ms() returns int
language sql immutable parallel safe set search_path = '' as $$ select 1000 $$;

-- `unit:<code>` of a grid or community and of every unit above it, the unit's own first.
create function private.realtime_topics(p_code text) returns text[]
language sql immutable parallel safe set search_path = '' as $$
	select coalesce(array_agg('unit:' || left(p_code, n) order by n desc), '{}')
	from unnest(array[15, 12, 9, 6, 4]) n
	where n <= length(p_code) and p_code ~ '^[0-9]+$'
$$;

-- Sends `p_event` for the changed rows `p_changes` (jsonb array of { code, day, id }) to every topic above
-- them, one message per topic, unless the throttle skips it.
create function private.realtime_publish(p_event text, p_changes jsonb) returns void
language plpgsql security definer set search_path = '' as $$
declare
	v_now timestamptz := clock_timestamp();
	v_window interval := make_interval(secs => private.realtime_window_ms() / 1000.0);
	v_sent int;
	v_last timestamptz;
	r record;
begin
	if coalesce(current_setting('wanggetong.realtime', true), '') = 'off' or p_changes is null then
		return;
	end if;
	for r in
		select t.topic, count(*)::int as n, min(c.day) as first_day, max(c.day) as last_day,
			case when min(c.code) = max(c.code) then min(c.code) end as code,
			case when min(c.id) = max(c.id) and count(*) = 1 then min(c.id) end as id
		from jsonb_to_recordset(p_changes) as c(code text, day date, id bigint)
		cross join lateral unnest(private.realtime_topics(c.code)) as t(topic)
		group by t.topic
		order by t.topic
	loop
		select s.sent_at into v_last from private.realtime_sent s where s.topic = r.topic and s.event = p_event;
		if found then
			-- Inside the window: skip without taking a lock.
			continue when v_last > v_now - v_window;
			-- The window has passed: take the row, unless another writer holds it (it is sending for this window
			-- now) or has moved it on meanwhile (the recheck of the WHERE on the row's latest version). Never waits.
			perform 1 from private.realtime_sent s
			where s.topic = r.topic and s.event = p_event and s.sent_at <= v_now - v_window
			for update skip locked;
			continue when not found;
			update private.realtime_sent s set sent_at = v_now where s.topic = r.topic and s.event = p_event;
		else
			-- The topic's first message ever: of writers racing to create the row, the first sends.
			insert into private.realtime_sent (topic, event, sent_at) values (r.topic, p_event, v_now)
			on conflict (topic, event) do nothing;
			get diagnostics v_sent = row_count;
			continue when v_sent = 0;
		end if;
		perform realtime.send(
			jsonb_build_object('unit', substr(r.topic, 6), 'count', r.n, 'first_day', r.first_day,
				'last_day', r.last_day, 'code', r.code, 'id', r.id, 'window_ms', private.realtime_window_ms()),
			p_event, r.topic, true);
	end loop;
end $$;

-- ---------------------------------------------------------------------------------------------------------
-- The triggers: per statement (a bulk write is one pass), reading the transition tables
-- ---------------------------------------------------------------------------------------------------------

create function private.realtime_screenings() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
	perform private.realtime_publish('coverage', (
		select jsonb_agg(jsonb_build_object('code', n.grid_code, 'day', private.shanghai_day(n.screened_at)))
		from new_rows n));
	return null;
end $$;
create trigger screenings_realtime after insert on public.screenings
	referencing new table as new_rows for each statement execute function private.realtime_screenings();

create function private.realtime_claims() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
	perform private.realtime_publish('claims', (
		select jsonb_agg(jsonb_build_object('code', n.grid_code, 'day', private.shanghai_day(n.claimed_at),
			'id', n.building_id))
		from new_rows n));
	return null;
end $$;
create trigger building_claims_realtime_insert after insert on public.building_claims
	referencing new table as new_rows for each statement execute function private.realtime_claims();
create trigger building_claims_realtime_update after update on public.building_claims
	referencing new table as new_rows for each statement execute function private.realtime_claims();

create function private.realtime_shifts() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
	if tg_op = 'DELETE' then
		perform private.realtime_publish('roster', (
			select jsonb_agg(jsonb_build_object('code', coalesce(o.grid_code, o.community_code),
				'day', private.shanghai_day(lower(o.period)), 'id', o.id))
			from old_rows o));
	else
		perform private.realtime_publish('roster', (
			select jsonb_agg(jsonb_build_object('code', coalesce(n.grid_code, n.community_code),
				'day', private.shanghai_day(lower(n.period)), 'id', n.id))
			from new_rows n));
	end if;
	return null;
end $$;
create trigger shifts_realtime_insert after insert on public.shifts
	referencing new table as new_rows for each statement execute function private.realtime_shifts();
create trigger shifts_realtime_update after update on public.shifts
	referencing new table as new_rows for each statement execute function private.realtime_shifts();
create trigger shifts_realtime_delete after delete on public.shifts
	referencing old table as old_rows for each statement execute function private.realtime_shifts();

create function private.realtime_leads() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
	if tg_op = 'DELETE' then
		perform private.realtime_publish('leads', (
			select jsonb_agg(jsonb_build_object('code', o.grid_code, 'day', private.shanghai_day(o.reported_at),
				'id', o.id))
			from old_rows o));
	else
		perform private.realtime_publish('leads', (
			select jsonb_agg(jsonb_build_object('code', n.grid_code, 'day', private.shanghai_day(n.reported_at),
				'id', n.id))
			from new_rows n));
	end if;
	return null;
end $$;
create trigger leads_realtime_insert after insert on public.leads
	referencing new table as new_rows for each statement execute function private.realtime_leads();
create trigger leads_realtime_update after update on public.leads
	referencing new table as new_rows for each statement execute function private.realtime_leads();
create trigger leads_realtime_delete after delete on public.leads
	referencing old table as old_rows for each statement execute function private.realtime_leads();

-- Only the triggers (running as the owner) publish.
revoke execute on function private.realtime_publish(text, jsonb) from public, anon, authenticated;
revoke execute on function private.realtime_topics(text), private.realtime_window_ms() from public, anon;
grant execute on function private.realtime_topics(text), private.realtime_window_ms() to authenticated, service_role;
