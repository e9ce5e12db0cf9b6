-- Demo data for 网格通, generated inside Postgres (bulk `insert ... select` is orders of magnitude faster than
-- row-by-row inserts through the API). Deterministic: every "random" choice is a hash of a stable key, so the
-- same inputs give the same data on PGlite, PostgreSQL 15 and hosted Supabase.
--
-- Expects, from scripts/seed/demo.ts: the units, buildings, markets and checkpoints already inserted (generated
-- geometry), and a temp table seed_params(scale int, password text).
-- Facts of the source article that hold exactly: 白招牌社区 4,943 households, 12,076 residents, 113 buildings
-- (1 with property management), 2 farmers' markets; a police-college volunteer group of 251 volunteers; a
-- 24-member youth volunteer team in 金榜村 formed 2020-02-07; 1,273 organisations, 3,749 teams and 42,444
-- volunteers city-wide.

-- A seed that failed half-way on a server (the embedded stack deletes its folder instead) leaves this behind.
drop schema if exists seed cascade;
create schema seed;

-- Bulk loading: skip per-row foreign-key and trigger work (the generator's keys are consistent by
-- construction). Where the role may not do this (some hosted setups), the seed just runs slower.
do $$ begin set session_replication_role = replica; exception when others then null; end $$;
-- And where it may not, the live-update triggers (…1208000200_realtime.sql) still send nothing for the load.
select set_config('wanggetong.realtime', 'off', false);

-- A uniform number in [0, 1) from a key.
create function seed.r(k text) returns double precision
language sql immutable as $$ select (hashtextextended(k, 20200124) & 9007199254740991)::double precision / 9007199254740992 $$;

-- An integer in [0, n) from a key.
create function seed.ri(k text, n int) returns int
language sql immutable as $$ select floor(seed.r(k) * n)::int $$;

create function seed.pick(k text, arr text[]) returns text
language sql immutable as $$ select arr[1 + seed.ri(k, cardinality(arr))] $$;

create function seed.person_name(k text) returns text
language sql immutable as $$
	select seed.pick(k || 's', array['王','李','张','刘','陈','杨','黄','赵','周','吴','徐','孙','马','胡','朱','郭','何','罗','高','林','郑','梁','谢','唐','许','冯','宋','韩','邓','彭','曹','曾','田','萧','潘','袁','蒋','蔡','余','杜','叶','程','魏','苏','吕','丁','任','卢','姚','沈','钟','姜','崔','谭','陆','范','汪','廖','石','金','贾','韦','夏','付','方','邹','熊','白','孟','秦','邱','侯','江','尹','薛','闫','段','雷','龙','黎','史','陶','贺','毛','郝','顾','龚','邵','万','覃','武','钱','戴','严','欧','莫','孔','向','常'])
		|| seed.pick(k || 'g1', array['建','国','明','华','丽','芳','英','秀','兰','军','平','玉','志','文','红','小','云','春','金','海','德','永','成','晓','美','利','光','桂','清','子','家','雪','思','宇','俊','梓','欣','浩','雨','婷'])
		|| case when seed.r(k || 'len') < 0.6 then seed.pick(k || 'g2', array['强','伟','敏','静','娟','杰','涛','霞','刚','勇','艳','燕','磊','洋','辉','鹏','琳','超','波','红','萍','林','宁','莉','峰','梅','荣','飞','婷','鑫','然','轩','涵','怡','琪','博','凯','悦','颖','瑶']) else '' end
$$;

create function seed.phone(k text) returns text
language sql immutable as $$
	select '1' || seed.pick(k || 'p', array['3','5','7','8','9']) || lpad(seed.ri(k || 'n', 1000000000)::text, 9, '0')
$$;

-- A valid 18-digit resident ID number (GB 11643: check character by ISO 7064 MOD 11-2).
create function seed.id_number(area text, birth date, k text) returns text
language sql immutable as $$
	with b as (select area || to_char(birth, 'YYYYMMDD') || lpad(seed.ri(k, 1000)::text, 3, '0') as d)
	select d || substr('10X98765432', 1 + (
		select sum(substr(d, i, 1)::int * ((2 ^ (18 - i))::int % 11)) % 11 from generate_series(1, 17) i)::int, 1)
	from b
$$;

-- Logistic quantile, for S-shaped cumulative screening curves.
create function seed.logit(u double precision) returns double precision
language sql immutable as $$ select ln(greatest(u, 1e-6) / greatest(1 - u, 1e-6)) $$;

-- ---------------------------------------------------------------------------------------------------------
-- Helper tables: communities with their urban/rural kind and a per-community "lag" that makes some units
-- slower than others (what the choropleth and the lagging-units ranking show).
-- ---------------------------------------------------------------------------------------------------------
create table seed.communities as
select u.code, u.name, u.parent_code as street_code, left(u.code, 6) as district_code,
	exists (select 1 from public.units s where s.code = u.parent_code and s.name like '%街道') as urban,
	case when u.code = '510502001006' then 0.05
		when left(u.code, 9) = '510502001' then 0.1 + 0.2 * seed.r(u.code || 'lag')
		else power(seed.r(u.code || 'lag'), 1.5) * 0.9 end as lag
from public.units u where u.level = 'community';
create index on seed.communities (code);

-- ---------------------------------------------------------------------------------------------------------
-- Households
-- ---------------------------------------------------------------------------------------------------------
create table seed.building_households as
with b as (
	select b.id, b.community_code, b.grid_code, b.kind,
		row_number() over (partition by b.community_code order by b.id) as idx
	from public.buildings b
)
select b.id as building_id, b.community_code, b.grid_code, b.kind,
	case
		-- 4,943 households over 113 buildings: 43 each, one more in the first 84.
		when b.community_code = '510502001006' then 43 + case when b.idx <= 84 then 1 else 0 end
		when b.kind = 'rural_house' then (1 + seed.ri(b.id || 'hh', 3)) * (select case when scale > 1 then 3 else 1 end from seed_params)
		else (8 + seed.ri(b.id || 'hh', 24)) * (select scale from seed_params)
	end as n
from b;

insert into public.households (building_id, grid_code, community_code, room, head_name, phone, members)
select bh.building_id, bh.grid_code, bh.community_code,
	case when bh.kind = 'rural_house' then i::text || '号'
		else (1 + (i - 1) / 40)::text || '单元' || (1 + ((i - 1) % 40) / 4)::text || lpad((1 + (i - 1) % 4)::text, 2, '0') end,
	seed.person_name('hh' || bh.building_id || '-' || i),
	case when seed.r('hhp' || bh.building_id || '-' || i) < 0.92 then seed.phone('hh' || bh.building_id || '-' || i) end,
	(select case when x < 0.20 then 1 when x < 0.55 then 2 when x < 0.85 then 3 when x < 0.95 then 4 else 5 end
		from (select seed.r('hhm' || bh.building_id || '-' || i) as x) m)
from seed.building_households bh
cross join lateral generate_series(1, bh.n) as i
order by bh.building_id, i;

-- 白招牌社区 has exactly 12,076 residents: shift household sizes by one, in a hashed order, until the sum fits.
with target as (select 12076 as want),
have as (select sum(members) as got from public.households where community_code = '510502001006'),
ranked as (
	select h.id, h.members, row_number() over (order by seed.r('adj' || h.id)) as rn
	from public.households h where h.community_code = '510502001006'
		and h.members between 2 and 4
)
update public.households h
set members = h.members + sign((select want from target) - (select got from have))::int
from ranked
where ranked.id = h.id and ranked.rn <= abs((select want from target) - (select got from have));

-- ---------------------------------------------------------------------------------------------------------
-- Organisations (1,273 over the four incubation levels), teams (3,749), volunteers (42,444)
-- ---------------------------------------------------------------------------------------------------------
create table seed.level_units as
select u.code, u.level, row_number() over (partition by u.level order by u.code) - 1 as idx,
	count(*) over (partition by u.level) as n
from public.units u where u.level in ('city', 'district', 'street', 'community');

-- What an organisation is called after its unit's name: each unit's organisations take different ones (a
-- hashed order per unit), so no name repeats and none needs a running number. More than the 25 of the city.
create table seed.org_kinds as
select k.name, k.n from unnest(array['志愿者协会','社会工作服务中心','邻里互助会','公益服务社','青年志愿者协会',
	'巾帼志愿服务队','党员志愿服务队','老年协会','义工联合会','红十字志愿服务队','退役军人志愿服务队','心理咨询师协会',
	'应急救援志愿队','慈善会志愿服务队','医务志愿服务队','律师志愿服务团','青年企业家协会','物业管理协会',
	'餐饮行业协会','出租汽车志愿车队','大学生志愿服务联盟','社区教育志愿者协会','助残志愿服务队','家庭服务中心',
	'爱心助老服务中心','同心社会工作服务社','禁毒志愿者协会','文明劝导志愿服务队','乡村发展促进会','读书会',
	'网格志愿服务队','平安志愿者协会']) with ordinality as k(name, n);

-- Organisation i: 1-25 city, 26-130 district, 131-634 street, 635-1273 community.
insert into public.organisations (id, name, kind, incubation_level, unit_code, founded_on)
select o.i,
	case o.i
		when 1 then '四川警察学院志愿服务队'
		when 2 then '泸州市社会组织孵化中心'
		when 3 then '泸州市志愿服务联合会'
		when 131 then '摩尼镇农村青年发展协会'
		-- Unit names are already short (白招牌社区, 金榜村): demo.ts stores them so.
		else lu_unit.name || (select k.name from seed.org_kinds k order by seed.r(o.unit_code || k.name) offset o.rank - 1 limit 1)
	end,
	case o.i when 1 then 'college' when 131 then 'social_organisation'
		else seed.pick('orgk' || o.i, array['social_organisation','volunteer_group','mass_team','mass_team','volunteer_group','professional']) end,
	o.level, lu_unit.code, date '2015-01-01' + seed.ri('orgd' || o.i, 1800)
from (
	select x.i, x.level, x.unit_code,
		row_number() over (partition by x.unit_code order by x.i) as rank
	from (
		select i,
			case when i <= 25 then 'city' when i <= 130 then 'district' when i <= 634 then 'street' else 'community' end as level,
			case
				when i = 131 then '510524109' -- 摩尼镇, 叙永县: the rural association of the article
				when i <= 25 then '5105'
				when i <= 130 then (select code from seed.level_units where level = 'district' and idx = (i - 26) % 7)
				when i <= 634 then (select code from seed.level_units where level = 'street' and idx = (i - 131) % 126)
				else (select code from seed.level_units where level = 'community'
					and idx = ((i - 635) * 1493) % 1488)
			end as unit_code
		from generate_series(1, 1273) i
	) x
) o
join public.units lu_unit on lu_unit.code = o.unit_code;
select setval(pg_get_serial_sequence('public.organisations', 'id'), 1273);
-- Two villages or communities of one name (in different towns) with the same kind of organisation: the later
-- one says its town.
update public.organisations o set name = s.name || o.name
from (select x.id, row_number() over (partition by x.name order by x.id) as nth from public.organisations x) d,
	public.units u, public.units s
where d.id = o.id and d.nth > 1 and u.code = o.unit_code and s.code = u.parent_code;

-- Team sizes: the police college's three teams total 251; 金榜村's youth team has 24; the other 3,745 teams
-- share the remaining 42,169 volunteers (11 each, one more for the first 974 in hashed order).
create table seed.teams as
with t as (
	select j,
		case when j <= 1273 then j
			when j in (1274, 1275) then 1
			-- Every other team goes to an organisation other than the police college (whose 251 are fixed).
			else 2 + ((j::bigint * 2654435761) % 1272)::int end as organisation_id
	from generate_series(1, 3749) j
),
special as (
	select j, organisation_id,
		case j when 1 then 120 when 1274 then 81 when 1275 then 50 when 131 then 24 end as fixed
	from t
),
ranked as (
	select s.*, row_number() over (partition by s.fixed is null order by seed.r('team' || s.j)) as rn from special s
)
select j as id, organisation_id,
	coalesce(fixed, 11 + case when rn <= 974 then 1 else 0 end) as size
from ranked;

insert into public.volunteer_teams (id, organisation_id, name, unit_code, formed_on)
select t.id, t.organisation_id,
	case t.id
		when 1 then '社区守护者联盟·电话摸排一队'
		when 1274 then '社区守护者联盟·电话摸排二队'
		when 1275 then '社区守护者联盟·线索核查队'
		when 131 then '金榜村青年志愿者突击队'
		-- Each team of an organisation does something else (a hashed order per organisation), so no two share a name.
		else o.name || '·' || coalesce((select x.name from unnest(array['卡口值守队','物资配送队','入户摸排队',
			'楼栋守护队','心理疏导队','应急突击队','电话摸排队','助老服务队','宣传劝导队','消杀服务队','信息登记队',
			'后勤保障队']) as x(name) order by seed.r(t.organisation_id || x.name) offset t.nth - 1 limit 1),
			'第' || t.nth || '服务队') end,
	case when t.id = 131 then '510524109211'
		when t.id in (1, 1274, 1275) then '510502001'
		when o.incubation_level = 'community' then o.unit_code
		-- Street- and district-level organisations field teams in one of their communities.
		else coalesce((select c.code from seed.communities c
			where c.code >= o.unit_code and c.code < o.unit_code || ':'
			order by seed.r(c.code || 'team' || t.id) limit 1), o.unit_code) end,
	case when t.id = 131 then date '2020-02-07'
		else date '2020-01-24' + seed.ri('tmd' || t.id, 20) end
from (select t.*, row_number() over (partition by t.organisation_id order by t.id) as nth from seed.teams t) t
join public.organisations o on o.id = t.organisation_id;
select setval(pg_get_serial_sequence('public.volunteer_teams', 'id'), 3749);

-- Volunteers live in the community of their team, or, for a team of a street, district or the city, in one
-- of its communities (the police college's alliance phoned households of the 南城街道 communities).
create table seed.team_communities as
select t.id as team_id, c.code, row_number() over (partition by t.id order by c.code) - 1 as idx,
	count(*) over (partition by t.id) as n
from public.volunteer_teams t
join seed.communities c on c.code >= t.unit_code and c.code < t.unit_code || ':';
create index on seed.team_communities (team_id, idx);

insert into public.volunteers (team_id, organisation_id, kind, name, phone, home_unit_code, skills, joined_on)
select t.id, st.organisation_id,
	case when t.id in (1, 1274, 1275) then 'volunteer'
		else seed.pick('vk' || t.id || '-' || k, array['volunteer','volunteer','volunteer','volunteer','party_member','grid_worker','social_worker','medical']) end,
	seed.person_name('vol' || t.id || '-' || k),
	seed.phone('vol' || t.id || '-' || k),
	tc.code,
	(select array_agg(distinct s) from unnest(array[
		seed.pick('sk1' || t.id || '-' || k, array['phone_screening','door_screening','checkpoint','delivery','first_aid','counselling','driving','translation']),
		seed.pick('sk2' || t.id || '-' || k, array['phone_screening','door_screening','checkpoint','delivery'])]) s),
	greatest(t.formed_on, date '2020-01-24') + seed.ri('vj' || t.id || '-' || k, 10)
from seed.teams st
join public.volunteer_teams t on t.id = st.id
cross join lateral generate_series(1, st.size) k
join seed.team_communities tc on tc.team_id = t.id and tc.idx = seed.ri('vh' || t.id || '-' || k, tc.n::int)
order by t.id, k;

-- Volunteer homes: near the community's first building.
update public.volunteers v set home_lon = b.lon + (seed.r('vx' || v.id) - 0.5) * 0.004,
	home_lat = b.lat + (seed.r('vy' || v.id) - 0.5) * 0.004
from (select distinct on (community_code) community_code, lon, lat from public.buildings order by community_code, id) b
where b.community_code = v.home_unit_code;

-- ---------------------------------------------------------------------------------------------------------
-- Responses: the city's 2020 response as the article tells it (ended), and a drill over 江阳区 that started six
-- days before the day of the seed and runs on (its data is generated relative to that day, at the end).
-- ---------------------------------------------------------------------------------------------------------
insert into public.responses (id, unit_code, name, started_on, ended_on, retention_days, opened_at, ended_at,
	end_reason) values
	(1, '5105', '泸州市新冠肺炎疫情防控（2020）', '2020-01-24', '2020-03-15', 180, '2020-01-24 08:00+08',
		'2020-03-15 20:00+08', '全市疫情防控转入常态化');
select setval(pg_get_serial_sequence('public.responses', 'id'), 1);

-- ---------------------------------------------------------------------------------------------------------
-- Screening: two rounds over the city. Round 1 (2020-01-24 to 2020-02-09) is the carpet-style first pass;
-- round 2 (2020-02-10 to 2020-03-15) the re-screening. Coverage rises along an S-curve whose timing lags by
-- community; a few households stay unreached.
-- ---------------------------------------------------------------------------------------------------------
insert into public.screening_rounds (id, response_id, unit_code, name, starts_on, ends_on, valid_days) values
	(1, 1, '5105', '第一轮地毯式摸排', '2020-01-24', '2020-02-09', 14),
	(2, 1, '5105', '第二轮复核摸排', '2020-02-10', '2020-03-15', 14);
select setval(pg_get_serial_sequence('public.screening_rounds', 'id'), 2);

create table seed.vol_by_community as
select v.home_unit_code as community_code, v.id, row_number() over (partition by v.home_unit_code order by v.id) - 1 as idx,
	count(*) over (partition by v.home_unit_code) as n
from public.volunteers v;
create index on seed.vol_by_community (community_code, idx);

create table seed.round_plan as
select h.id as household_id, h.grid_code, h.community_code, r.id as round_id, r.starts_on,
	(r.ends_on - r.starts_on + 1) as days, c.lag,
	seed.r('scr' || h.id || '-' || r.id) as u_reach,
	seed.r('sct' || h.id || '-' || r.id) as u_time
from public.households h
join seed.communities c on c.code = h.community_code
cross join public.screening_rounds r
where r.response_id = 1;

insert into public.screenings (round_id, household_id, grid_code, screened_at, method, outcome, flags,
	screened_by_volunteer_id, screened_by_user, idempotency_key)
select p.round_id, p.household_id, p.grid_code,
	(p.starts_on + least(p.days - 1, greatest(0, floor(
		case p.round_id when 1 then 4 + 7 * p.lag + 2.0 * seed.logit(p.u_time)
			else 5 + 14 * p.lag + 3.5 * seed.logit(p.u_time) end)))::int
		+ time '08:00' + (seed.ri('sch' || p.household_id || p.round_id, 720) || ' minutes')::interval)::timestamp
		at time zone 'Asia/Shanghai',
	case when seed.r('scm' || p.household_id || p.round_id) < 0.45 + 0.3 * (left(p.community_code, 9) = '510502001')::int
		then 'phone' else 'door' end,
	o.outcome,
	case when o.outcome = 'flagged' then array[seed.pick('scf' || p.household_id || p.round_id,
		array['fever','cough','travel_history','close_contact','home_isolation'])] else '{}' end,
	vb.id, null,
	-- Idempotency keys derived from the record, so a reseed produces the same keys.
	(md5('screening-' || p.household_id || '-' || p.round_id))::uuid
from seed.round_plan p
cross join lateral (
	select case when x < 0.035 then 'unreachable' when x < 0.041 then 'flagged' else 'normal' end as outcome
	from (select seed.r('sco' || p.household_id || p.round_id) as x) q
) o
left join seed.vol_by_community vb on vb.community_code = p.community_code
	and vb.idx = seed.ri('scv' || p.household_id || p.round_id, greatest(vb.n, 1)::int)
where p.u_reach < (case p.round_id when 1 then 0.985 - 0.2 * p.lag else 0.99 - 0.12 * p.lag end)
order by p.household_id, p.round_id;

-- Unreachable households are tried again a day or two later, and most are reached then.
insert into public.screenings (round_id, household_id, grid_code, screened_at, method, outcome, flags,
	screened_by_volunteer_id, idempotency_key)
select s.round_id, s.household_id, s.grid_code, s.screened_at + interval '1 day' * (1 + seed.ri('rt' || s.id, 2)),
	'door', 'normal', '{}', s.screened_by_volunteer_id, (md5('screening-retry-' || s.household_id || '-' || s.round_id))::uuid
from public.screenings s
join public.screening_rounds r on r.id = s.round_id
where s.outcome = 'unreachable' and seed.r('rtr' || s.id) < 0.8
	and s.screened_at + interval '3 days' < private.end_of_day(r.ends_on);

-- ---------------------------------------------------------------------------------------------------------
-- Special groups and their service requests
-- ---------------------------------------------------------------------------------------------------------
insert into public.residents (household_id, grid_code, response_id, name, gender, birth_year, id_number, phone,
	special_groups, needs, isolation_until, note)
select h.id, h.grid_code, 1, seed.person_name('res' || h.id),
	case when seed.r('rg' || h.id) < 0.55 then 'female' else 'male' end,
	by.y,
	seed.id_number(left(h.community_code, 6), make_date(by.y, 1 + seed.ri('rm' || h.id, 12), 1 + seed.ri('rd' || h.id, 28)), 'rid' || h.id),
	case when seed.r('rp' || h.id) < 0.7 then seed.phone('res' || h.id) end,
	g.groups,
	g.needs,
	case when 'home_isolated' = any (g.groups) then date '2020-02-01' + seed.ri('riso' || h.id, 30) end,
	null
from public.households h
cross join lateral (
	select case
		when x < 0.50 then array['elderly_alone']
		when x < 0.70 then array['disabled']
		when x < 0.74 then array['severely_disabled', 'disabled']
		when x < 0.84 then array['home_isolated']
		when x < 0.90 then array['pregnant']
		when x < 0.97 then array['chronic_illness', 'elderly_alone']
		else array['low_income'] end as groups,
	case
		when x < 0.50 then array['daily_call', 'food']
		when x < 0.74 then array['medical_visit', 'supplies']
		when x < 0.84 then array['food', 'counselling']
		when x < 0.90 then array['medical_visit']
		when x < 0.97 then array['medicine', 'daily_call']
		else array['supplies'] end as needs
	from (select seed.r('rgrp' || h.id) as x) q
) g
cross join lateral (select case when g.groups && array['elderly_alone'] then 1930 + seed.ri('ry' || h.id, 20)
	when g.groups && array['pregnant'] then 1988 + seed.ri('ry' || h.id, 10)
	else 1945 + seed.ri('ry' || h.id, 50) end as y) by
where seed.r('res?' || h.id) < 0.03
order by h.id;

insert into public.service_requests (resident_id, grid_code, response_id, kind, status, detail, due_at,
	assigned_volunteer_id, created_at, done_at)
select r.id, r.grid_code, 1, k.kind, st.status,
	case k.kind when 'food' then '代购米面油和蔬菜' when 'medicine' then '代取常用药' when 'medical_visit' then '上门随访'
		when 'counselling' then '电话心理疏导' when 'supplies' then '送口罩和消毒液' else '其他帮扶' end,
	t.created + interval '1 day',
	case when st.status <> 'open' then vb.id end,
	t.created,
	case when st.status = 'done' then t.created + interval '20 hours' end
from public.residents r
cross join lateral (select (date '2020-01-27' + seed.ri('srd' || r.id, 47) + time '09:00')::timestamp at time zone 'Asia/Shanghai' as created) t
cross join lateral (select (case when cardinality(r.needs) > 0 then r.needs[1 + seed.ri('srk' || r.id, cardinality(r.needs))] end) as need) n
cross join lateral (select case n.need when 'daily_call' then 'counselling' when 'food' then 'food' when 'medicine' then 'medicine'
	when 'medical_visit' then 'medical_visit' when 'counselling' then 'counselling' when 'supplies' then 'supplies' else 'other' end as kind) k
cross join lateral (select case when t.created < timestamptz '2020-03-10 00:00+08' then
		(case when seed.r('srs' || r.id) < 0.93 then 'done' else 'cancelled' end)
	else seed.pick('srs2' || r.id, array['open', 'assigned', 'in_progress', 'done']) end as status) st
left join seed.vol_by_community vb on vb.community_code = left(r.grid_code, 12)
	and vb.idx = seed.ri('srv' || r.id, greatest(vb.n, 1)::int)
where seed.r('sr?' || r.id) < 0.5;

-- ---------------------------------------------------------------------------------------------------------
-- Leads: about 130 across the 南城街道 communities the police-college alliance served, a few elsewhere.
-- ---------------------------------------------------------------------------------------------------------
create table seed.lead_plan as
select b.id as building_id, b.grid_code, b.lon, b.lat, k,
	(timestamp '2020-01-25 08:00' + (seed.r('ld' || b.id || '-' || k) * 49 * 24 || ' hours')::interval)
		at time zone 'Asia/Shanghai' as reported_at
from public.buildings b
cross join lateral generate_series(1, case
	when left(b.community_code, 9) = '510502001' then (seed.r('lc' || b.id) < 0.65)::int
	else (seed.r('lc' || b.id) < 0.012)::int end) k;

insert into public.leads (grid_code, response_id, title, description, kind, source, status, lon, lat, reported_at,
	deadline, assigned_volunteer_id, closed_at, updated_at)
select p.grid_code, 1,
	case kd.kind
		when 'travel_history' then '有湖北旅居史人员返泸未报备'
		when 'symptoms' then '住户发热咳嗽未就医'
		when 'gathering' then '楼下有人聚集打牌'
		when 'quarantine_breach' then '居家隔离人员外出'
		when 'supplies' then '独居老人缺少生活物资'
		else '其他疫情相关线索' end,
	'电话摸排中收集的线索，已按网格转交核实。',
	kd.kind,
	seed.pick('lsrc' || p.building_id || p.k, array['phone', 'screening', 'volunteer', 'public', 'hotline']),
	st.status, p.lon, p.lat, p.reported_at, p.reported_at + interval '48 hours',
	case when st.status in ('assigned', 'handled', 'closed') then vb.id end,
	case when st.status in ('closed', 'dismissed') then p.reported_at + interval '30 hours' end,
	p.reported_at
from seed.lead_plan p
cross join lateral (select seed.pick('lk' || p.building_id || p.k,
	array['travel_history', 'symptoms', 'gathering', 'quarantine_breach', 'supplies', 'other']) as kind) kd
cross join lateral (select case
	when p.reported_at < timestamptz '2020-03-08 00:00+08' then (case when seed.r('ls' || p.building_id || p.k) < 0.85 then 'closed' else 'dismissed' end)
	else seed.pick('ls2' || p.building_id || p.k, array['new', 'verifying', 'assigned', 'handled', 'closed']) end as status) st
left join seed.vol_by_community vb on vb.community_code = left(p.grid_code, 12)
	and vb.idx = seed.ri('lv' || p.building_id || p.k, greatest(vb.n, 1)::int)
order by p.reported_at;

-- The history as it happened, each step with its time (in place of the single event the insert trigger
-- writes when triggers run).
delete from public.lead_events;
insert into public.lead_events (lead_id, grid_code, from_status, to_status, at)
select l.id, l.grid_code, s.from_status, s.to_status, l.reported_at + s.after
from public.leads l
cross join lateral (values
	(1, null::text, 'new', interval '0'),
	(2, 'new', case when l.status = 'dismissed' then 'dismissed' else 'verifying' end, interval '2 hours'),
	(3, 'verifying', 'assigned', interval '6 hours'),
	(4, 'assigned', 'handled', interval '20 hours'),
	(5, 'handled', 'closed', interval '30 hours')
) as s(step, from_status, to_status, after)
where s.step <= case l.status when 'new' then 1 when 'verifying' then 2 when 'dismissed' then 2
	when 'assigned' then 3 when 'handled' then 4 when 'closed' then 5 end;

-- ---------------------------------------------------------------------------------------------------------
-- Shifts of the 2020 response: three eight-hour shifts a day (00–08, 08–16, 16–24), so the night is covered
-- as on a real roster. The demo's two streets, 南城街道 and 北城街道, staff every checkpoint every day of the
-- response. Elsewhere the roster holds the turns volunteers of the community's organisations took at each
-- checkpoint, three to five days each, most in the first weeks (the checkpoints' other days were kept by
-- officials and police, who are not volunteers): the city's daily hours rise in late January, peak in February
-- and fall off in March, with no jump. Volunteers of the checkpoint's community are numbered so that no volunteer
-- stands at two checkpoints at once; communities short of volunteers leave gaps.
-- ---------------------------------------------------------------------------------------------------------
create table seed.checkpoint_slots as
select c.id as checkpoint_id, c.community_code, c.staff_required,
	coalesce(sum(c.staff_required) over (partition by c.community_code order by c.id
		rows between unbounded preceding and 1 preceding), 0)::int as offset_in_community,
	left(c.community_code, 9) in ('510502001', '510502002') as every_day
from public.checkpoints c where c.status <> 'closed';

-- The days (0 = 2020-01-25 … 50 = 2020-03-15) each checkpoint had volunteers on duty.
create table seed.checkpoint_turns as
select cs.*, case when cs.every_day then 0 else t.first end as first_day,
	case when cs.every_day then 50 else t.first + t.len - 1 end as last_day
from seed.checkpoint_slots cs
cross join lateral (select 3 + seed.ri('ctl' || cs.checkpoint_id, 3) as len) l
cross join lateral (select l.len, floor((51 - l.len) * least(seed.r('ctf' || cs.checkpoint_id),
	seed.r('ctg' || cs.checkpoint_id)))::int as first) t;

insert into public.shifts (volunteer_id, checkpoint_id, community_code, response_id, period, status)
select vb.id, cs.checkpoint_id, cs.community_code, 1,
	tstzrange((d + sl.starts)::timestamp at time zone 'Asia/Shanghai',
		(d + sl.starts + interval '8 hours')::timestamp at time zone 'Asia/Shanghai', '[)'),
	case when seed.r('shs' || cs.checkpoint_id || d || sl.n || p) < 0.03 then 'no_show'
		when seed.r('shs' || cs.checkpoint_id || d || sl.n || p) < 0.05 then 'cancelled' else 'done' end
from seed.checkpoint_turns cs
cross join lateral (select date '2020-01-25' + dn as d from generate_series(cs.first_day, cs.last_day) dn) days
cross join (values (0, interval '0 hours'), (1, interval '8 hours'), (2, interval '16 hours')) as sl(n, starts)
cross join lateral generate_series(0, cs.staff_required - 1) as p
join seed.vol_by_community vb on vb.community_code = cs.community_code
	and vb.idx = (cs.offset_in_community + p + (d - date '2020-01-25') * 3 + sl.n * 7) % vb.n
-- Volunteers cannot cover more posts than there are of them; and some posts go unfilled on some days.
where cs.offset_in_community + p < vb.n
	and seed.r('shf' || cs.checkpoint_id || d || sl.n || p) < 0.92;

-- ---------------------------------------------------------------------------------------------------------
-- Grid workers: every grid has its own (网格员), people of its community: the community's grid workers shared
-- out over its grids, and where a community has fewer grid workers than grids, one of its volunteers serves as
-- the grid worker of each grid left. The police college's students stay volunteers: they join grids (phoning
-- households, as the article tells) only where their community has nobody else, as in 白招牌社区.
-- ---------------------------------------------------------------------------------------------------------
create table seed.grid_people as
with grids as (
	select u.code, u.parent_code, row_number() over (partition by u.parent_code order by u.code) - 1 as gi,
		count(*) over (partition by u.parent_code) as ng
	from public.units u where u.level = 'grid'
), people as (
	select v.id, v.kind, v.home_unit_code,
		v.team_id in (1, 1274, 1275) as student,
		row_number() over (partition by v.home_unit_code order by (v.kind = 'grid_worker') desc,
			v.team_id in (1, 1274, 1275), seed.r('gm' || v.id)) - 1 as k,
		count(*) filter (where v.kind = 'grid_worker') over (partition by v.home_unit_code) as workers
	from public.volunteers v
)
select p.id as volunteer_id, g.code as grid_code, p.kind, p.student
from people p
join grids g on g.parent_code = p.home_unit_code and g.gi = p.k % g.ng
where p.k < greatest(g.ng, p.workers);

update public.volunteers v set kind = 'grid_worker' from seed.grid_people gp
where gp.volunteer_id = v.id and gp.kind <> 'grid_worker' and not gp.student;
insert into public.grid_members (volunteer_id, grid_code, assigned_at)
select volunteer_id, grid_code, timestamptz '2020-01-24 08:00+08' from seed.grid_people order by grid_code, volunteer_id;

-- ---------------------------------------------------------------------------------------------------------
-- Demo accounts. Inserted the way Supabase's own seed files do (bcrypt through pgcrypto), so the same script
-- works on hosted Supabase; columns GoTrue needs but the embedded stack lacks are filled only where they exist.
-- ---------------------------------------------------------------------------------------------------------
create table seed.accounts (id uuid, email text, role text, unit_code text, display_name text, volunteer_id bigint);
insert into seed.accounts values
	('00000000-0000-4000-8000-000000000001', 'secretary@baizhaopai.demo', 'secretary', '510502001006', '白招牌社区党委书记', null),
	('00000000-0000-4000-8000-000000000002', 'commander@nancheng.demo', 'commander', '510502001', '南城街道指挥长', null),
	('00000000-0000-4000-8000-000000000003', 'leader@luzhou.demo', 'leader', '5105', '泸州市领导', null),
	('00000000-0000-4000-8000-000000000004', 'volunteer@baizhaopai.demo', 'volunteer', '510502001006', '白招牌社区志愿者',
		(select min(id) from public.volunteers where home_unit_code = '510502001006')),
	('00000000-0000-4000-8000-000000000005', 'secretary@shangping.demo', 'secretary', '510502001001', '上平社区党委书记', null),
	('00000000-0000-4000-8000-000000000006', 'commander@beicheng.demo', 'commander', '510502002', '北城街道指挥长', null),
	('00000000-0000-4000-8000-000000000007', 'leader@xuyong.demo', 'leader', '510524', '叙永县领导', null);

insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
	raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
select '00000000-0000-0000-0000-000000000000', a.id, 'authenticated', 'authenticated', a.email,
	extensions.crypt((select password from seed_params), extensions.gen_salt('bf', 10)), now(), -- bcrypt cost 10, as GoTrue hashes
	'{"provider":"email","providers":["email"]}', jsonb_build_object('display_name', a.display_name), now(), now()
from seed.accounts a;

do $$
begin
	-- GoTrue reads these as strings and fails on NULL; the embedded stack's auth.users has no such columns.
	if exists (select 1 from information_schema.columns where table_schema = 'auth' and table_name = 'users'
		and column_name = 'confirmation_token') then
		execute $u$update auth.users set confirmation_token = '', recovery_token = '', email_change_token_new = '',
			email_change = '' where id in (select id from seed.accounts)$u$;
	end if;
	if exists (select 1 from information_schema.columns where table_schema = 'auth' and table_name = 'identities'
		and column_name = 'provider_id') then
		execute $i$insert into auth.identities (id, user_id, provider_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
			select gen_random_uuid(), a.id, a.id::text, jsonb_build_object('sub', a.id::text, 'email', a.email), 'email', now(), now(), now()
			from seed.accounts a$i$;
	end if;
end $$;

insert into public.memberships (user_id, role, unit_code, display_name, volunteer_id)
select id, role, unit_code, display_name, volunteer_id from seed.accounts;
update public.volunteers v set user_id = a.id from seed.accounts a where a.volunteer_id = v.id;

-- The demo volunteer has shifts of their own (at 白招牌社区's first checkpoint) on the last days.
delete from public.shifts s using seed.accounts a
where s.volunteer_id = a.volunteer_id and lower(s.period) >= timestamptz '2020-03-13 00:00+08';
-- A cell holds no more than staff_required (the roster's rule): where those cells are full, the last seat
-- rostered gives way to the demo volunteer.
delete from public.shifts s using (
	select x.id, row_number() over (partition by x.period order by x.id) as seat, c.staff_required
	from public.shifts x join public.checkpoints c on c.id = x.checkpoint_id
	where x.checkpoint_id = (select min(id) from public.checkpoints where community_code = '510502001006')
		and x.status in ('planned', 'done') and lower(x.period) >= timestamptz '2020-03-13 00:00+08'
		and lower(x.period) < timestamptz '2020-03-16 00:00+08'
		and (lower(x.period) at time zone 'Asia/Shanghai')::time = time '08:00'
) full_cell
where s.id = full_cell.id and full_cell.seat >= full_cell.staff_required;
insert into public.shifts (volunteer_id, checkpoint_id, community_code, response_id, period, status)
select a.volunteer_id, (select min(id) from public.checkpoints where community_code = '510502001006'), '510502001006', 1,
	tstzrange((d + time '08:00')::timestamp at time zone 'Asia/Shanghai', (d + time '16:00')::timestamp at time zone 'Asia/Shanghai', '[)'),
	'planned'
from seed.accounts a cross join lateral (select date '2020-03-13' + dn as d from generate_series(0, 2) dn) days
where a.volunteer_id is not null;

-- ---------------------------------------------------------------------------------------------------------
-- The drill (演练) that runs today: 江阳区, from six days before the seed's day. One open round over the district
-- (two weeks, coverage valid 7 days); screenings on each day so far (none after this moment), fewer in the
-- communities that lag; leads in 南城街道's communities; three eight-hour shifts a day (night included) at the
-- checkpoints of 南城街道 and 北城街道, tomorrow's planned. Opened weeks later, the same database shows the drill running on, with no
-- records for the days since.
-- ---------------------------------------------------------------------------------------------------------
create table seed.drill as
select private.today() - 6 as starts_on, private.today() as seeded_on, now() as seeded_at;

insert into public.responses (id, unit_code, name, started_on, retention_days, opened_at)
select 2, '510502', '江阳区聚集性疫情处置演练', d.starts_on, 90, (d.starts_on + time '08:00')::timestamp at time zone 'Asia/Shanghai'
from seed.drill d;
select setval(pg_get_serial_sequence('public.responses', 'id'), 2);

insert into public.screening_rounds (id, response_id, unit_code, name, starts_on, ends_on, valid_days)
select 3, 2, '510502', '演练第一轮摸排', d.starts_on, d.starts_on + 13, 7 from seed.drill d;
select setval(pg_get_serial_sequence('public.screening_rounds', 'id'), 3);

-- Day 0–6 of the drill, by an S-curve that lags by community; 8:00–20:00; never after the seed's moment.
insert into public.screenings (round_id, household_id, grid_code, screened_at, method, outcome, flags,
	screened_by_volunteer_id, idempotency_key)
select 3, x.household_id, x.grid_code, x.at,
	case when seed.r('dsm' || x.household_id) < 0.6 then 'phone' else 'door' end,
	o.outcome,
	case when o.outcome = 'flagged' then array[seed.pick('dsf' || x.household_id,
		array['fever','cough','travel_history','close_contact'])] else '{}' end,
	vb.id,
	(md5('drill-screening-' || x.household_id))::uuid
from (
	select h.id as household_id, h.grid_code, h.community_code,
		((d.starts_on + floor(1.5 + 3.5 * c.lag + 1.6 * seed.logit(seed.r('dst' || h.id)))::int + time '08:00'
			+ (seed.ri('dsh' || h.id, 720) || ' minutes')::interval)::timestamp at time zone 'Asia/Shanghai') as at,
		d.seeded_at
	from public.households h
	join seed.communities c on c.code = h.community_code
	cross join seed.drill d
	where h.community_code like '510502%' and seed.r('dsr' || h.id) < 0.97 - 0.2 * c.lag
) x
cross join lateral (
	select case when q < 0.05 then 'unreachable' when q < 0.056 then 'flagged' else 'normal' end as outcome
	from (select seed.r('dso' || x.household_id) as q) r
) o
left join seed.vol_by_community vb on vb.community_code = x.community_code
	and vb.idx = seed.ri('dsv' || x.household_id, greatest(vb.n, 1)::int)
cross join seed.drill d
where x.at >= private.start_of_day(d.starts_on) and x.at <= x.seeded_at
order by x.household_id;

create table seed.drill_leads as
select b.id as building_id, b.grid_code, b.lon, b.lat,
	(d.starts_on + time '08:00')::timestamp at time zone 'Asia/Shanghai'
		+ (seed.r('dld' || b.id) * extract(epoch from d.seeded_at
			- ((d.starts_on + time '08:00')::timestamp at time zone 'Asia/Shanghai')) || ' seconds')::interval as reported_at
from public.buildings b cross join seed.drill d
where left(b.community_code, 9) = '510502001' and seed.r('dlc' || b.id) < 0.12;

insert into public.leads (grid_code, response_id, title, description, kind, source, status, lon, lat, reported_at,
	deadline, assigned_volunteer_id, closed_at, updated_at)
select p.grid_code, 2,
	case kd.kind when 'symptoms' then '住户发热咳嗽未就医' when 'close_contact' then '密接人员未按要求居家'
		when 'gathering' then '楼下有人聚集' else '独居老人缺少生活物资' end,
	'演练：入户摸排中发现，已按网格转交核实。',
	case kd.kind when 'close_contact' then 'quarantine_breach' else kd.kind end,
	seed.pick('dls' || p.building_id, array['screening', 'volunteer', 'hotline']),
	st.status, p.lon, p.lat, p.reported_at, p.reported_at + interval '24 hours',
	case when st.status in ('assigned', 'handled', 'closed') then vb.id end,
	case when st.status = 'closed' then p.reported_at + interval '20 hours' end,
	p.reported_at
from seed.drill_leads p
cross join seed.drill d
cross join lateral (select seed.pick('dlk' || p.building_id,
	array['symptoms', 'close_contact', 'gathering', 'supplies']) as kind) kd
cross join lateral (select case
	when p.reported_at < d.seeded_at - interval '2 days' then (case when seed.r('dlst' || p.building_id) < 0.8 then 'closed' else 'handled' end)
	else seed.pick('dlst2' || p.building_id, array['new', 'verifying', 'assigned', 'handled']) end as status) st
left join seed.vol_by_community vb on vb.community_code = left(p.grid_code, 12)
	and vb.idx = seed.ri('dlv' || p.building_id, greatest(vb.n, 1)::int)
order by p.reported_at;

insert into public.lead_events (lead_id, grid_code, from_status, to_status, at)
select l.id, l.grid_code, s.from_status, s.to_status, least(l.reported_at + s.after, (select seeded_at from seed.drill))
from public.leads l
cross join lateral (values
	(1, null::text, 'new', interval '0'),
	(2, 'new', 'verifying', interval '1 hour'),
	(3, 'verifying', 'assigned', interval '3 hours'),
	(4, 'assigned', 'handled', interval '12 hours'),
	(5, 'handled', 'closed', interval '20 hours')
) as s(step, from_status, to_status, after)
where l.response_id = 2 and s.step <= case l.status when 'new' then 1 when 'verifying' then 2
	when 'assigned' then 3 when 'handled' then 4 when 'closed' then 5 end;

-- Shifts 00–08, 08–16 and 16–24 at the checkpoints of 南城街道 and 北城街道, from the drill's first day to
-- tomorrow; past ones done.
insert into public.shifts (volunteer_id, checkpoint_id, community_code, response_id, period, status)
select vb.id, cs.checkpoint_id, cs.community_code, 2,
	tstzrange((days.d + sl.starts)::timestamp at time zone 'Asia/Shanghai',
		(days.d + sl.starts + interval '8 hours')::timestamp at time zone 'Asia/Shanghai', '[)'),
	case when (days.d + sl.starts + interval '8 hours')::timestamp at time zone 'Asia/Shanghai' > dr.seeded_at then 'planned'
		when seed.r('dshs' || cs.checkpoint_id || days.d || sl.n || p) < 0.03 then 'no_show' else 'done' end
from seed.checkpoint_slots cs
cross join seed.drill dr
cross join lateral (select dr.starts_on + dn as d from generate_series(0, 7) dn) days
cross join (values (0, interval '0 hours'), (1, interval '8 hours'), (2, interval '16 hours')) as sl(n, starts)
cross join lateral generate_series(0, cs.staff_required - 1) as p
join seed.vol_by_community vb on vb.community_code = cs.community_code
	and vb.idx = (cs.offset_in_community + p + (days.d - dr.starts_on) * 5 + sl.n * 11) % vb.n
where cs.every_day
	and cs.offset_in_community + p < vb.n
	and seed.r('dshf' || cs.checkpoint_id || days.d || sl.n || p) < 0.92
	-- The demo volunteer's own shifts are added below, in a seat kept free for them.
	and vb.id is distinct from (select volunteer_id from seed.accounts where volunteer_id is not null)
	and not (cs.checkpoint_id = (select min(id) from public.checkpoints where community_code = '510502001006')
		and sl.n = 1 and p = 0 and days.d between dr.seeded_on - 1 and dr.seeded_on + 1);

insert into public.shifts (volunteer_id, checkpoint_id, community_code, response_id, period, status)
select a.volunteer_id, c.id, '510502001006', 2,
	tstzrange((days.d + time '08:00')::timestamp at time zone 'Asia/Shanghai',
		(days.d + time '16:00')::timestamp at time zone 'Asia/Shanghai', '[)'),
	case when days.d < dr.seeded_on then 'done' else 'planned' end
from seed.accounts a
cross join seed.drill dr
cross join lateral (select dr.seeded_on + dn as d from generate_series(-1, 1) dn) days
join lateral (select min(id) as id from public.checkpoints where community_code = '510502001006') c on true
where a.volunteer_id is not null;

select setval(pg_get_serial_sequence('public.buildings', 'id'), greatest((select max(id) from public.buildings), 1));
select setval(pg_get_serial_sequence('public.markets', 'id'), greatest((select max(id) from public.markets), 1));
select setval(pg_get_serial_sequence('public.checkpoints', 'id'), greatest((select max(id) from public.checkpoints), 1));

drop schema seed cascade;
do $$ begin set session_replication_role = origin; exception when others then null; end $$;
select set_config('wanggetong.realtime', '', false);
-- The bulk load ran without triggers: compute the coverage counters from the records once.
select private.rebuild_coverage_counters();
analyze;
