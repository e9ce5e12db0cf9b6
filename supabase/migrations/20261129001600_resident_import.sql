-- Special-group residents imported from a spreadsheet (issue #5), the way households are
-- (public.import_households, 20261129001500): every row checked, a report of every bad row, all or nothing,
-- and the same file twice changes nothing.
--
-- Errors carry a Chinese message for people and a HINT for the app to map; each function lists its hints.

-- A date written YYYY-MM-DD, or null when the text is not one (never an error: a bad cell is reported, not
-- raised). CASE keeps the steps in order, so no cast sees text it cannot read.
create function private.iso_date(p text) returns date
language sql immutable parallel safe set search_path = '' as $$
	select case
		when p is null or p !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' then null
		when left(p, 4)::int < 1 or substr(p, 6, 2)::int not between 1 and 12 then null
		when substr(p, 9, 2)::int not between 1 and extract(day from
			make_date(left(p, 4)::int, substr(p, 6, 2)::int, 1) + interval '1 month - 1 day')::int then null
		else p::date end
$$;

-- The items of a list field: a JSON array of strings, or one string separated by 、，, ; or / (half or full
-- width) for callers that send the cell as written; trimmed, empty ones dropped, each once in the order given.
-- Null when the field is absent.
create function private.import_list(j jsonb) returns text[]
language sql immutable parallel safe set search_path = '' as $$
	select case when jsonb_typeof(j) in ('array', 'string') then array(
		select x from (
			select trim(v) as x, min(i) as first
			from (
				select v, i from jsonb_array_elements_text(case jsonb_typeof(j) when 'array' then j else '[]' end)
					with ordinality as a(v, i)
				union all
				select v, i from regexp_split_to_table(case jsonb_typeof(j) when 'string' then j #>> '{}' end,
					'[、，,;；/／]+') with ordinality as s(v, i)
			) items
			where trim(v) <> ''
			group by trim(v)
		) d order by first)
	end
$$;

-- A list as a set, for comparing: sorted, each once.
create function private.text_set(a text[]) returns text[]
language sql immutable parallel safe set search_path = '' as $$
	select array(select distinct x from unnest(a) as x where x is not null order by 1)
$$;

grant execute on all functions in schema private to authenticated, service_role;

-- Imports special-group residents into a community from rows the app read out of a spreadsheet and mapped:
-- [{row, building, room, name, special_groups, gender?, birth_year?, id_number?, phone?, needs?,
--   isolation_until?, note?}], `row` being the sheet's row number for the report. special_groups and needs are
-- codes (a JSON array, or one string separated by 、，,;/); gender is male or female (男/女 also read).
--
-- Every row is checked first: the household by building name (in this community) and room must be on record,
-- a name, at least one special group and only known ones, gender 男/女, a birth year 1900..this year, the ID
-- number's check character (GB 11643-1999), the phone's format, known needs, a real isolation date, a note of
-- 500 characters at most. An ID number also gives gender and birth year (its 17th digit and 7th–10th), the
-- row's or else the one on record for the resident the row is: left empty they are taken from it, written
-- otherwise they must agree. Within the file, an ID number twice,
-- or one household's name twice (unless both rows carry ID numbers), is reported against its first row.
--
-- A row is a resident already on record when the ID number matches one in this community; without an ID
-- number (or with one nobody has yet), when the household has a resident of that name (without an ID number,
-- for a row that has one). Two candidates, or two rows for one resident, are reported rather than guessed.
-- With any error nothing is written and the answer lists them all: {ok: false, errors: [{row, field,
-- message}]}. Otherwise new residents are inserted and known ones updated only where they differ, so the
-- same file twice changes nothing the second time (no write, no trigger): {ok: true, dry_run, inserted,
-- updated, unchanged}. What a row updates: every field whose key it carries (an empty value clears it, the
-- file being the register), except the ID number, which an import sets but never clears; a field whose key
-- is absent (the sheet has no such column) keeps its value. Groups and needs compare as sets. A resident's
-- grid is their household's (the residents_grid trigger, 20261129001320), and a resident moved to another
-- grid takes their service requests along. With p_dry_run nothing is written either way: the answer says what
-- an import would do, for the check before the secretary confirms.
-- Runs as definer (ID numbers and phones are not readable by members) with the scope checked here: the
-- community's secretary or its street's commander, as for households.
-- Hints: import_forbidden, import_bad_rows.
create function public.import_residents(p_community text, p_rows jsonb, p_dry_run boolean default false)
returns jsonb
language plpgsql security definer set search_path = '' set jit = off as $$
declare
	v_groups constant text[] := array['elderly_alone', 'disabled', 'home_isolated', 'pregnant', 'chronic_illness',
		'low_income', 'left_behind_child', 'severely_disabled'];
	v_needs constant text[] := array['food', 'medicine', 'medical_visit', 'counselling', 'supplies', 'daily_call',
		'transport'];
	v_this_year int := extract(year from now() at time zone 'Asia/Shanghai')::int;
	v_errors jsonb;
	v_inserted int;
	v_updated int;
	v_total int;
begin
	if not coalesce(private.may_edit_community(p_community), false) then
		raise exception '无权向该社区导入特殊群体居民' using errcode = 'insufficient_privilege', hint = 'import_forbidden';
	end if;
	if jsonb_typeof(p_rows) is distinct from 'array' or jsonb_array_length(p_rows) not between 1 and 50000
		or exists (select 1 from jsonb_array_elements(p_rows) e where jsonb_typeof(e) <> 'object'
			or jsonb_typeof(e -> 'row') is distinct from 'number' or (e ->> 'row') !~ '^[0-9]{1,9}$')
		or (select count(distinct e ->> 'row') from jsonb_array_elements(p_rows) e) <> jsonb_array_length(p_rows) then
		raise exception '导入数据须为 1 到 50000 行，每行带不重复的行号' using errcode = 'invalid_parameter_value',
			hint = 'import_bad_rows';
	end if;
	-- one import of a community at a time (households and residents alike: they meet in the households)
	perform 1 from public.units u where u.code = p_community for update;

	create temporary table if not exists pg_temp.resident_import_rows (
		row_no int, building text, room text, name text, gender_text text, birth_year_text text, id_number text,
		phone text, groups text[], needs text[], isolation_text text, note text,
		-- whether the row carries the field at all (a column of the sheet), or leaves the value as it is
		has_gender boolean, has_birth_year boolean, has_phone boolean, has_needs boolean, has_isolation boolean,
		has_note boolean,
		building_id bigint, household_id bigint, grid_code text collate "C",
		gender text, birth_year int, isolation_until date, id_valid boolean,
		-- the resident on record this row is, how many candidates there were, and their ID number
		resident_id bigint, candidates int, matched_by text, record_id_number text,
		-- gender and birth year as the row's ID number (or else the one on record) has them
		id_gender text, id_birth_year int,
		-- the resident as the import leaves them, and whether that differs from the record
		new_gender text, new_birth_year int, new_id_number text, new_phone text, new_needs text[],
		new_isolation date, new_note text, changed boolean
	) on commit drop;
	truncate pg_temp.resident_import_rows;
	insert into pg_temp.resident_import_rows (row_no, building, room, name, gender_text, birth_year_text, id_number,
		phone, groups, needs, isolation_text, note, has_gender, has_birth_year, has_phone, has_needs, has_isolation,
		has_note)
	select (e ->> 'row')::int, nullif(trim(e ->> 'building'), ''), nullif(trim(e ->> 'room'), ''),
		nullif(trim(e ->> 'name'), ''), nullif(trim(e ->> 'gender'), ''), nullif(trim(e ->> 'birth_year'), ''),
		nullif(upper(regexp_replace(coalesce(e ->> 'id_number', ''), '\s', '', 'g')), ''),
		nullif(regexp_replace(coalesce(e ->> 'phone', ''), '\s', '', 'g'), ''),
		coalesce(private.import_list(e -> 'special_groups'), '{}'), coalesce(private.import_list(e -> 'needs'), '{}'),
		nullif(trim(e ->> 'isolation_until'), ''), nullif(trim(e ->> 'note'), ''),
		e ? 'gender', e ? 'birth_year', e ? 'phone', e ? 'needs', e ? 'isolation_until', e ? 'note'
	from jsonb_array_elements(p_rows) e;

	update pg_temp.resident_import_rows r set building_id = b.id
	from public.buildings b where b.community_code = p_community and b.name = r.building;
	update pg_temp.resident_import_rows r set household_id = h.id, grid_code = h.grid_code
	from public.households h where h.building_id = r.building_id and h.room = r.room;
	update pg_temp.resident_import_rows r set
		gender = case when r.gender_text in ('male', '男') then 'male' when r.gender_text in ('female', '女') then 'female' end,
		birth_year = case when r.birth_year_text ~ '^[0-9]{4}$' then r.birth_year_text::int end,
		isolation_until = private.iso_date(r.isolation_text),
		id_valid = private.is_valid_id_number(r.id_number);

	-- The resident on record: by ID number in this community, else by household and name.
	update pg_temp.resident_import_rows r set resident_id = m.id, candidates = m.n, matched_by = 'id_number'
	from (
		select i.row_no, min(x.id) as id, count(*)::int as n
		from pg_temp.resident_import_rows i
		join public.residents x on x.id_number = i.id_number
		where i.id_valid and x.grid_code >= p_community and x.grid_code < p_community || ':'
		group by i.row_no
	) m where m.row_no = r.row_no;
	update pg_temp.resident_import_rows r set resident_id = m.id, candidates = m.n, matched_by = 'name'
	from (
		select i.row_no, min(x.id) as id, count(*)::int as n
		from pg_temp.resident_import_rows i
		join public.residents x on x.household_id = i.household_id and x.name = i.name
		where i.candidates is null and (i.id_number is null or (i.id_valid and x.id_number is null))
		group by i.row_no
	) m where m.row_no = r.row_no;
	update pg_temp.resident_import_rows r set record_id_number = x.id_number
	from public.residents x where x.id = r.resident_id and r.candidates = 1;
	-- A row without an ID number is held to the one on record, so the same file gives the same resident.
	update pg_temp.resident_import_rows r set
		id_gender = case when substr(v.id, 17, 1)::int % 2 = 1 then 'male' else 'female' end,
		id_birth_year = substr(v.id, 7, 4)::int
	from (
		select i.row_no, case when i.id_valid then i.id_number else i.record_id_number end as id
		from pg_temp.resident_import_rows i
	) v where v.row_no = r.row_no and v.id is not null;

	select coalesce(jsonb_agg(jsonb_build_object('row', x.row_no, 'field', x.field, 'message', x.message)
		order by x.row_no, x.ord), '[]'::jsonb)
	into v_errors
	from (
		select r.row_no, 1 as ord, 'building' as field, '缺少楼栋' as message
		from pg_temp.resident_import_rows r where r.building is null
		union all
		select r.row_no, 1, 'building', '楼栋「' || r.building || '」不在本社区'
		from pg_temp.resident_import_rows r where r.building is not null and r.building_id is null
		union all
		select r.row_no, 2, 'room', '缺少房号' from pg_temp.resident_import_rows r where r.room is null
		union all
		select r.row_no, 2, 'room', r.building || ' ' || r.room || ' 没有登记住户，请先导入住户'
		from pg_temp.resident_import_rows r
		where r.building_id is not null and r.room is not null and r.household_id is null
		union all
		select r.row_no, 3, 'name', '缺少姓名' from pg_temp.resident_import_rows r where r.name is null
		union all
		select r.row_no, 3, 'name', '姓名不能超过 40 个字' from pg_temp.resident_import_rows r where length(r.name) > 40
		union all
		select r.row_no, 4, 'gender', '性别「' || r.gender_text || '」无法识别，请填“男”或“女”'
		from pg_temp.resident_import_rows r where r.gender_text is not null and r.gender is null
		union all
		select r.row_no, 4, 'gender', '性别与身份证号不符' from pg_temp.resident_import_rows r
		where r.gender is not null and r.id_gender is not null and r.gender <> r.id_gender
		union all
		select r.row_no, 5, 'birth_year', '出生年份须为 1900 到 ' || v_this_year || ' 的四位数：' || r.birth_year_text
		from pg_temp.resident_import_rows r
		where r.birth_year_text is not null and (r.birth_year is null or r.birth_year not between 1900 and v_this_year)
		union all
		select r.row_no, 5, 'birth_year', '出生年份与身份证号不符' from pg_temp.resident_import_rows r
		where r.birth_year between 1900 and v_this_year and r.id_birth_year is not null and r.birth_year <> r.id_birth_year
		union all
		-- the number is not repeated: the row number finds it in the secretary's own file
		select r.row_no, 6, 'id_number', '身份证号不对（18 位，末位为校验码，可为 X）'
		from pg_temp.resident_import_rows r where r.id_number is not null and not r.id_valid
		union all
		select r.row_no, 6, 'id_number', '身份证号中的出生年份不在 1900 到 ' || v_this_year || ' 之间'
		from pg_temp.resident_import_rows r
		where r.birth_year_text is null and r.id_birth_year not between 1900 and v_this_year
		union all
		select r.row_no, 7, 'phone', '电话号码格式不对：' || r.phone from pg_temp.resident_import_rows r
		where r.phone is not null and not private.is_valid_phone(r.phone)
		union all
		select r.row_no, 8, 'special_groups', '缺少特殊群体' from pg_temp.resident_import_rows r
		where cardinality(r.groups) = 0
		union all
		select r.row_no, 8, 'special_groups', '特殊群体「' || array_to_string(array(
				select g from unnest(r.groups) as g where g <> all (v_groups)), '、') || '」无法识别'
		from pg_temp.resident_import_rows r where not r.groups <@ v_groups
		union all
		select r.row_no, 9, 'needs', '需求「' || array_to_string(array(
				select n from unnest(r.needs) as n where n <> all (v_needs)), '、') || '」无法识别'
		from pg_temp.resident_import_rows r where not r.needs <@ v_needs
		union all
		select r.row_no, 10, 'isolation_until', '隔离截止日期格式不对：' || r.isolation_text || '（如 2020-02-14）'
		from pg_temp.resident_import_rows r where r.isolation_text is not null and r.isolation_until is null
		union all
		select r.row_no, 11, 'note', '备注不能超过 500 个字' from pg_temp.resident_import_rows r where length(r.note) > 500
		union all
		-- the same person twice in the file
		select d.row_no, 12, 'id_number', '与第 ' || d.first_row || ' 行重复（同一身份证号）'
		from (
			select r.row_no, min(r.row_no) over (partition by r.id_number) as first_row
			from pg_temp.resident_import_rows r where r.id_valid
		) d where d.row_no > d.first_row
		union all
		select d.row_no, 12, 'name', '与第 ' || d.first_row || ' 行重复（同一住户同一姓名）'
		from (
			select r.row_no, case when r.id_number is null then min(r.row_no) over w
				else min(r.row_no) filter (where r.id_number is null) over w end as first_row
			from pg_temp.resident_import_rows r where r.household_id is not null and r.name is not null
			window w as (partition by r.household_id, r.name)
		) d where d.row_no > d.first_row
		union all
		-- the resident on record is not certain, or two rows would be one resident
		select r.row_no, 13, 'id_number', '本社区有 ' || r.candidates || ' 位居民登记了这个身份证号，无法确定是哪一位'
		from pg_temp.resident_import_rows r where r.matched_by = 'id_number' and r.candidates > 1
		union all
		select r.row_no, 13, 'name', '该住户有 ' || r.candidates || ' 位居民名叫「' || r.name || '」，请填写身份证号区分'
		from pg_temp.resident_import_rows r where r.matched_by = 'name' and r.candidates > 1
		union all
		select d.row_no, 13, 'name', '与第 ' || d.first_row || ' 行是同一位居民'
		from (
			select r.row_no, min(r.row_no) over (partition by r.resident_id) as first_row
			from pg_temp.resident_import_rows r where r.resident_id is not null and r.candidates = 1
		) d where d.row_no > d.first_row
	) x;
	if jsonb_array_length(v_errors) > 0 then
		return jsonb_build_object('ok', false, 'errors', v_errors);
	end if;

	-- What each row leaves on record, and whether that differs from what is there.
	update pg_temp.resident_import_rows r set
		new_gender = case when r.gender is not null then r.gender when r.id_gender is not null then r.id_gender
			when r.has_gender then null else x.gender end,
		new_birth_year = case when r.birth_year is not null then r.birth_year
			when r.id_birth_year is not null then r.id_birth_year when r.has_birth_year then null else x.birth_year end,
		new_id_number = coalesce(r.id_number, x.id_number),
		new_phone = case when r.has_phone then r.phone else x.phone end,
		new_needs = case when r.has_needs then r.needs else coalesce(x.needs, '{}') end,
		new_isolation = case when r.has_isolation then r.isolation_until else x.isolation_until end,
		new_note = case when r.has_note then r.note else x.note end
	from pg_temp.resident_import_rows i
	left join public.residents x on x.id = i.resident_id
	where i.row_no = r.row_no;
	update pg_temp.resident_import_rows r set changed = r.resident_id is not null
		and (x.household_id, x.name, x.gender, x.birth_year, x.id_number, x.phone, private.text_set(x.special_groups),
			private.text_set(x.needs), x.isolation_until, x.note)
		is distinct from (r.household_id, r.name, r.new_gender, r.new_birth_year, r.new_id_number, r.new_phone,
			private.text_set(r.groups), private.text_set(r.new_needs), r.new_isolation, r.new_note)
	from pg_temp.resident_import_rows i
	left join public.residents x on x.id = i.resident_id
	where i.row_no = r.row_no;

	select count(*), count(*) filter (where r.resident_id is null), count(*) filter (where r.changed)
	into v_total, v_inserted, v_updated
	from pg_temp.resident_import_rows r;
	if p_dry_run then
		return jsonb_build_object('ok', true, 'dry_run', true, 'inserted', v_inserted, 'updated', v_updated,
			'unchanged', v_total - v_inserted - v_updated);
	end if;

	insert into public.residents (household_id, grid_code, name, gender, birth_year, id_number, phone,
		special_groups, needs, isolation_until, note)
	select r.household_id, r.grid_code, r.name, r.new_gender, r.new_birth_year, r.new_id_number, r.new_phone,
		r.groups, r.new_needs, r.new_isolation, r.new_note
	from pg_temp.resident_import_rows r
	where r.resident_id is null
	order by r.row_no;
	update public.residents x set household_id = r.household_id, grid_code = r.grid_code, name = r.name,
		gender = r.new_gender, birth_year = r.new_birth_year, id_number = r.new_id_number, phone = r.new_phone,
		special_groups = r.groups, needs = r.new_needs, isolation_until = r.new_isolation, note = r.new_note
	from pg_temp.resident_import_rows r
	where x.id = r.resident_id and r.changed;
	-- a resident who moved to a household in another grid takes their service requests along
	update public.service_requests s set grid_code = x.grid_code
	from pg_temp.resident_import_rows r
	join public.residents x on x.id = r.resident_id
	where r.changed and s.resident_id = x.id and s.grid_code <> x.grid_code;

	return jsonb_build_object('ok', true, 'dry_run', false, 'inserted', v_inserted, 'updated', v_updated,
		'unchanged', v_total - v_inserted - v_updated);
end $$;
revoke execute on function public.import_residents(text, jsonb, boolean) from public, anon;
grant execute on function public.import_residents(text, jsonb, boolean) to authenticated;
