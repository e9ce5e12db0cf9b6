-- Running a response (issue #15): leaders open and end responses over their unit, commanders and secretaries
-- open, extend and close screening rounds inside a running response; leads, shifts, service requests and
-- special-group registrations are filed under the response in effect for their unit and day. Every change is
-- audited. The tables are in …0150_responses.sql and …0500_screening.sql; the day checks every date-taking
-- function makes are `private.check_day` there.
--
-- Errors carry a Chinese message and a HINT the app maps:
--   not_allowed, outside_scope, bad_name, bad_unit, bad_dates, reason_missing, response_running (DETAIL: the
--   running response as JSON), response_overlap, response_not_found, response_ended, no_running_response,
--   round_not_found, round_closed, round_overlap (DETAIL: the round in the way as JSON).

-- ---------------------------------------------------------------------------------------------------------
-- Rows belong to the response in effect for their unit and day
-- ---------------------------------------------------------------------------------------------------------

-- Files a new lead, shift, service request or special-group registration under the response in effect for its
-- unit on its day (a plan for a later day under today's). Leads, shifts and requests outside every response are
-- refused; a registration outside one is kept without a response (the registry outlives responses).
create function private.set_response_id() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
	v_unit text;
	v_day date;
begin
	case tg_table_name
		when 'leads' then v_unit := new.grid_code; v_day := private.shanghai_day(new.reported_at);
		when 'shifts' then v_unit := new.community_code; v_day := private.shanghai_day(lower(new.period));
		when 'service_requests' then v_unit := new.grid_code; v_day := private.shanghai_day(new.created_at);
		else v_unit := new.grid_code; v_day := private.shanghai_day(new.created_at);
	end case;
	new.response_id := (private.response_on(v_unit, least(v_day, private.today()))).id;
	if new.response_id is null and tg_table_name <> 'residents' then
		raise exception '该单位在 % 没有进行中的应急响应', v_day
			using errcode = 'check_violation', hint = 'no_running_response';
	end if;
	return new;
end $$;
revoke execute on function private.set_response_id() from public, anon, authenticated;

-- After the triggers that set each table's unit (they sort before these by name).
create trigger leads_set_response before insert on public.leads
	for each row execute function private.set_response_id();
create trigger shifts_set_response before insert on public.shifts
	for each row execute function private.set_response_id();
create trigger service_requests_set_response before insert on public.service_requests
	for each row execute function private.set_response_id();
create trigger residents_set_response before insert on public.residents
	for each row execute function private.set_response_id();
create index leads_response_id_idx on public.leads (response_id);
create index shifts_response_id_idx on public.shifts (response_id);
create index service_requests_response_id_idx on public.service_requests (response_id);
create index residents_response_id_idx on public.residents (response_id);

-- ---------------------------------------------------------------------------------------------------------
-- Responses
-- ---------------------------------------------------------------------------------------------------------

create function private.response_json(r public.responses) returns jsonb
language sql stable set search_path = '' as $$
	select jsonb_build_object('id', r.id, 'unit_code', r.unit_code, 'name', r.name, 'started_on', r.started_on,
		'ended_on', r.ended_on, 'retention_days', r.retention_days)
$$;

create function private.require_leader_of(p_unit text) returns void
language plpgsql stable security definer set search_path = '' as $$
begin
	if coalesce(private.my_role(), '') <> 'leader' then
		raise exception '只有该单位的领导可以开启或结束应急响应' using errcode = 'insufficient_privilege', hint = 'not_allowed';
	end if;
	if p_unit is null or not coalesce(private.in_scope(p_unit), false) then
		raise exception '该单位不在你的管辖范围内' using errcode = 'insufficient_privilege', hint = 'outside_scope';
	end if;
end $$;

-- Opens a response over a city, district or street from `p_started_on` (today by default; at most 30 days back),
-- by the leader of that unit or above. Refused while a response runs over the unit, above it or below it, or
-- when the period would overlap an ended one of those. Returns the response as JSON.
create function public.open_response(p_unit text, p_name text, p_started_on date default null,
	p_retention_days int default 180)
returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
	v_today date := private.today();
	v_start date := coalesce(p_started_on, private.today());
	v_other public.responses;
	v_new public.responses;
begin
	perform private.require_leader_of(p_unit);
	if length(p_unit) not in (4, 6, 9) or not exists (select 1 from public.units u where u.code = p_unit) then
		raise exception '应急响应只能覆盖市、区县或街道' using errcode = 'invalid_parameter_value', hint = 'bad_unit';
	end if;
	if p_name is null or length(btrim(p_name)) not between 2 and 60 then
		raise exception '响应名称须为 2 到 60 个字' using errcode = 'invalid_parameter_value', hint = 'bad_name';
	end if;
	if v_start > v_today or v_start < v_today - 30 then
		raise exception '开始日期须在最近 30 天内，且不晚于今天' using errcode = 'invalid_parameter_value', hint = 'bad_dates';
	end if;
	if p_retention_days is null or p_retention_days not between 1 and 3650 then
		raise exception '保留天数须在 1 到 3650 之间' using errcode = 'invalid_parameter_value', hint = 'bad_dates';
	end if;
	-- Openings queue behind one another, so two leaders cannot open nesting responses at once.
	perform pg_advisory_xact_lock(5105, 0);
	select * into v_other from public.responses r
	where private.codes_nest(p_unit, r.unit_code) and r.ended_on is null
	order by r.started_on limit 1;
	if v_other.id is not null then
		raise exception '已有进行中的应急响应：%', v_other.name
			using errcode = 'unique_violation', hint = 'response_running', detail = private.response_json(v_other)::text;
	end if;
	select * into v_other from public.responses r
	where private.codes_nest(p_unit, r.unit_code) and r.ended_on >= v_start
	order by r.ended_on desc limit 1;
	if v_other.id is not null then
		raise exception '开始日期须晚于上一次应急响应「%」的结束日期 %', v_other.name, v_other.ended_on
			using errcode = 'invalid_parameter_value', hint = 'response_overlap';
	end if;
	insert into public.responses (unit_code, name, started_on, retention_days, opened_by)
	values (p_unit, btrim(p_name), v_start, p_retention_days, auth.uid())
	returning * into v_new;
	insert into public.audit_log (user_id, unit_code, action, table_name, record_id, purpose, detail)
	values (auth.uid(), p_unit, 'response', 'responses', v_new.id, '开启应急响应：' || v_new.name,
		jsonb_build_object('op', 'open', 'started_on', v_start));
	return private.response_json(v_new);
end $$;

-- Ends a running response on `p_ended_on` (today by default), with a reason. Its rounds close then: a round still
-- open is cut to the last day (and closed now), a round that had not started is removed. Views of the response
-- stop at that day; its personal data is purged `retention_days` later.
create function public.end_response(p_response_id bigint, p_reason text, p_ended_on date default null)
returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
	v_response public.responses;
	v_end date := coalesce(p_ended_on, private.today());
begin
	select * into v_response from public.responses r where r.id = p_response_id for update;
	if v_response.id is null then
		raise exception '找不到该应急响应' using errcode = 'no_data_found', hint = 'response_not_found';
	end if;
	perform private.require_leader_of(v_response.unit_code);
	if v_response.ended_on is not null then
		raise exception '该应急响应已于 % 结束', v_response.ended_on using errcode = 'check_violation', hint = 'response_ended';
	end if;
	if p_reason is null or length(btrim(p_reason)) not between 2 and 200 then
		raise exception '请填写结束原因（2 到 200 字）' using errcode = 'invalid_parameter_value', hint = 'reason_missing';
	end if;
	if v_end < v_response.started_on or v_end > private.today() then
		raise exception '结束日期须在 % 到今天之间', v_response.started_on
			using errcode = 'invalid_parameter_value', hint = 'bad_dates';
	end if;
	delete from public.screening_rounds r
	where r.response_id = v_response.id and r.starts_on > v_end
		and not exists (select 1 from public.screenings s where s.round_id = r.id);
	update public.screening_rounds r
	set ends_on = least(r.ends_on, v_end), closed_at = coalesce(r.closed_at, now())
	where r.response_id = v_response.id and (r.ends_on >= v_end and r.closed_at is null);
	update public.responses r
	set ended_on = v_end, ended_at = now(), ended_by = auth.uid(), end_reason = btrim(p_reason)
	where r.id = v_response.id
	returning * into v_response;
	insert into public.audit_log (user_id, unit_code, action, table_name, record_id, purpose, detail)
	values (auth.uid(), v_response.unit_code, 'response', 'responses', v_response.id,
		'结束应急响应：' || btrim(p_reason), jsonb_build_object('op', 'end', 'ended_on', v_end));
	return private.response_json(v_response);
end $$;

-- ---------------------------------------------------------------------------------------------------------
-- Screening rounds
-- ---------------------------------------------------------------------------------------------------------

create function private.round_json(r public.screening_rounds) returns jsonb
language sql stable set search_path = '' as $$
	select jsonb_build_object('id', r.id, 'response_id', r.response_id, 'unit_code', r.unit_code, 'name', r.name,
		'starts_on', r.starts_on, 'ends_on', r.ends_on, 'valid_days', r.valid_days, 'closed_at', r.closed_at)
$$;

create function private.require_round_staff(p_unit text) returns void
language plpgsql stable security definer set search_path = '' as $$
begin
	if not coalesce(private.is_personal_staff(), false) then
		raise exception '只有街道指挥长和社区书记可以安排摸排轮次' using errcode = 'insufficient_privilege', hint = 'not_allowed';
	end if;
	if p_unit is null or not coalesce(private.in_scope(p_unit), false) then
		raise exception '该单位不在你的管辖范围内' using errcode = 'insufficient_privilege', hint = 'outside_scope';
	end if;
end $$;

-- Writes a round, turning the no-overlap constraint's error into the round in the way.
create function private.save_round(r public.screening_rounds) returns public.screening_rounds
language plpgsql security definer set search_path = '' as $$
declare
	v_saved public.screening_rounds;
	v_other public.screening_rounds;
begin
	begin
		if r.id is null then
			insert into public.screening_rounds (response_id, unit_code, name, starts_on, ends_on, valid_days, opened_by)
			values (r.response_id, r.unit_code, r.name, r.starts_on, r.ends_on, r.valid_days, auth.uid())
			returning * into v_saved;
		else
			update public.screening_rounds x set ends_on = r.ends_on, closed_at = r.closed_at
			where x.id = r.id returning * into v_saved;
		end if;
	exception when exclusion_violation then
		select * into v_other from public.screening_rounds x
		where x.unit_code = r.unit_code and x.id is distinct from r.id
			and daterange(x.starts_on, x.ends_on, '[]') && daterange(r.starts_on, r.ends_on, '[]')
		order by x.starts_on limit 1;
		raise exception '与本单位的摸排轮次「%」（% 至 %）日期重叠', v_other.name, v_other.starts_on, v_other.ends_on
			using errcode = 'exclusion_violation', hint = 'round_overlap', detail = private.round_json(v_other)::text;
	end;
	return v_saved;
end $$;

-- Opens a round over the caller's unit or a unit below it, inside the response running over it, from
-- `p_starts_on` (today by default) to `p_ends_on`; households count as covered for `p_valid_days` after a
-- screening. Returns the round as JSON.
create function public.open_round(p_unit text, p_name text, p_ends_on date, p_starts_on date default null,
	p_valid_days int default 14)
returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
	v_start date := coalesce(p_starts_on, private.today());
	v_response public.responses;
	v_round public.screening_rounds;
begin
	perform private.require_round_staff(p_unit);
	if not exists (select 1 from public.units u where u.code = p_unit) then
		raise exception '找不到该单位' using errcode = 'invalid_parameter_value', hint = 'bad_unit';
	end if;
	if p_name is null or length(btrim(p_name)) not between 2 and 60 then
		raise exception '轮次名称须为 2 到 60 个字' using errcode = 'invalid_parameter_value', hint = 'bad_name';
	end if;
	select * into v_response from public.responses r
	where left(p_unit, length(r.unit_code)) = r.unit_code and r.ended_on is null
	order by length(r.unit_code) desc limit 1;
	if v_response.id is null then
		raise exception '该单位没有进行中的应急响应，不能开启摸排轮次'
			using errcode = 'check_violation', hint = 'no_running_response';
	end if;
	if p_ends_on is null or v_start < v_response.started_on or v_start > private.today() + 30
		or p_ends_on < v_start or p_ends_on < private.today() or p_ends_on - v_start > 90 then
		raise exception '轮次日期无效：开始不早于响应开始（%），结束不早于今天，且不超过 90 天', v_response.started_on
			using errcode = 'invalid_parameter_value', hint = 'bad_dates';
	end if;
	if p_valid_days is null or p_valid_days not between 1 and 60 then
		raise exception '有效天数须在 1 到 60 之间' using errcode = 'invalid_parameter_value', hint = 'bad_dates';
	end if;
	v_round := private.save_round(row(null, v_response.id, p_unit, btrim(p_name), v_start, p_ends_on, p_valid_days,
		now(), null, null)::public.screening_rounds);
	insert into public.audit_log (user_id, unit_code, action, table_name, record_id, purpose, detail)
	values (auth.uid(), p_unit, 'round', 'screening_rounds', v_round.id, '开启摸排轮次：' || v_round.name,
		jsonb_build_object('op', 'open', 'starts_on', v_round.starts_on, 'ends_on', v_round.ends_on));
	return private.round_json(v_round);
end $$;

-- The round as the caller may change it: in scope, not closed, its response running.
create function private.round_to_change(p_round_id bigint) returns public.screening_rounds
language plpgsql security definer set search_path = '' as $$
declare
	v_round public.screening_rounds;
begin
	select * into v_round from public.screening_rounds r where r.id = p_round_id for update;
	if v_round.id is null then
		raise exception '找不到该摸排轮次' using errcode = 'no_data_found', hint = 'round_not_found';
	end if;
	perform private.require_round_staff(v_round.unit_code);
	if v_round.closed_at is not null or v_round.ends_on < private.today()
		or exists (select 1 from public.responses r where r.id = v_round.response_id and r.ended_on is not null) then
		raise exception '该摸排轮次已结束' using errcode = 'check_violation', hint = 'round_closed';
	end if;
	return v_round;
end $$;

-- Moves the last day of a round that has not ended (later, or earlier but not before today).
create function public.extend_round(p_round_id bigint, p_ends_on date) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
	v_round public.screening_rounds := private.round_to_change(p_round_id);
	v_old date := v_round.ends_on;
begin
	if p_ends_on is null or p_ends_on < private.today() or p_ends_on < v_round.starts_on
		or p_ends_on - v_round.starts_on > 90 then
		raise exception '结束日期须不早于今天，且轮次不超过 90 天' using errcode = 'invalid_parameter_value', hint = 'bad_dates';
	end if;
	v_round.ends_on := p_ends_on;
	v_round := private.save_round(v_round);
	insert into public.audit_log (user_id, unit_code, action, table_name, record_id, purpose, detail)
	values (auth.uid(), v_round.unit_code, 'round', 'screening_rounds', v_round.id, '调整摸排轮次：' || v_round.name,
		jsonb_build_object('op', 'extend', 'from', v_old, 'to', p_ends_on));
	return private.round_json(v_round);
end $$;

-- Closes a round now: screenings recorded from this moment on are refused (those recorded before it, synced
-- later from a phone, still count). A round that has not started yet is removed.
create function public.close_round(p_round_id bigint) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
	v_round public.screening_rounds := private.round_to_change(p_round_id);
begin
	if v_round.starts_on > private.today() then
		delete from public.screening_rounds r where r.id = v_round.id;
		v_round.closed_at := now();
	else
		v_round.ends_on := private.today();
		v_round.closed_at := now();
		v_round := private.save_round(v_round);
	end if;
	insert into public.audit_log (user_id, unit_code, action, table_name, record_id, purpose, detail)
	values (auth.uid(), v_round.unit_code, 'round', 'screening_rounds', v_round.id, '结束摸排轮次：' || v_round.name,
		jsonb_build_object('op', 'close'));
	return private.round_json(v_round);
end $$;

-- Helpers only definer functions call (they run as the owner): later migrations' blanket grants on schema private
-- gave them to members, who need none of them. (private.check_day stays: copy_roster_day runs as the caller.)
revoke execute on function private.response_on(text, date), private.current_rounds(text, date)
	from public, anon, authenticated;
revoke execute on function private.response_json(public.responses) from public, anon, authenticated;
revoke execute on function private.round_json(public.screening_rounds) from public, anon, authenticated;
revoke execute on function private.require_leader_of(text) from public, anon, authenticated;
revoke execute on function private.require_round_staff(text) from public, anon, authenticated;
revoke execute on function private.save_round(public.screening_rounds) from public, anon, authenticated;
revoke execute on function private.round_to_change(bigint) from public, anon, authenticated;
revoke execute on function public.open_response(text, text, date, int) from public, anon;
revoke execute on function public.end_response(bigint, text, date) from public, anon;
revoke execute on function public.open_round(text, text, date, date, int) from public, anon;
revoke execute on function public.extend_round(bigint, date) from public, anon;
revoke execute on function public.close_round(bigint) from public, anon;
grant execute on function public.open_response(text, text, date, int) to authenticated;
grant execute on function public.end_response(bigint, text, date) to authenticated;
grant execute on function public.open_round(text, text, date, date, int) to authenticated;
grant execute on function public.extend_round(bigint, date) to authenticated;
grant execute on function public.close_round(bigint) to authenticated;
