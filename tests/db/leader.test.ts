/**
 * The leaders' views (migration 20261129001400) against counts written here straight from the records, in other
 * SQL (prefix LIKE instead of code ranges, grouping in TypeScript): every figure of organisation_overview (the
 * city's 1,273 organisations, 3,749 teams and 42,444 volunteers included) and of daily_briefing, for each role
 * in its own scope; a new record shows at once (nothing is a stored total); other units, volunteers and anonymous
 * callers are refused; and no name, phone or ID number is in what a leader gets.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, DEMO, signedIn } from './clients';
import { stack } from './stack-env';

let db: pg.Client;
const users: Record<string, SupabaseClient> = {};

beforeAll(async () => {
	db = new pg.Client({ connectionString: stack().pgUrl });
	await db.connect();
	for (const k of ['secretary', 'commander', 'leader', 'xuyong', 'volunteer'] as const)
		users[k] = await signedIn(DEMO[k]);
});

afterAll(async () => {
	await db?.end();
});

const CITY = '5105';
const XUYONG = '510524';
const NANCHENG = '510502001';
const BAIZHAOPAI = '510502001006';
const RESPONSE_START = '2020-01-24';
const LEVELS = ['city', 'district', 'street', 'community'] as const;

/** Counts of 1–2 are withheld from aggregate-only viewers (leaders). */
const shown = (n: number, aggregateOnly: boolean) => (aggregateOnly && (n === 1 || n === 2) ? null : n);
const tenths = (h: number) => Math.round(h * 10) / 10;

function days(from: string, to: string): string[] {
	const out: string[] = [];
	for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
		out.push(new Date(t).toISOString().slice(0, 10));
	return out;
}

/** Shifts served in the unit (planned or done) that ended by the end of `asOf`, from the records. */
async function servedFromRecords(unit: string, asOf: string) {
	const { rows } = await db.query(
		`select s.volunteer_id::int as volunteer, v.organisation_id::int as organisation, o.incubation_level as level,
			o.name, o.kind, extract(epoch from upper(s.period) - lower(s.period))::float / 3600 as hours,
			to_char(lower(s.period) at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day
		from shifts s join volunteers v on v.id = s.volunteer_id left join organisations o on o.id = v.organisation_id
		where s.community_code like $1 || '%' and s.status in ('planned', 'done')
			and upper(s.period) <= (($2::date + 1)::timestamp at time zone 'Asia/Shanghai')`,
		[unit, asOf]
	);
	return rows as {
		volunteer: number;
		organisation: number | null;
		level: string | null;
		name: string;
		kind: string;
		hours: number;
		day: string;
	}[];
}

/** organisation_overview as it should be, computed without it. */
async function overviewFromRecords(unit: string, asOf: string, aggregateOnly: boolean) {
	const q = async (sql: string) => (await db.query(sql, [unit, asOf])).rows;
	const orgs = await q(`select incubation_level as level, kind, count(*)::int as n from organisations
		where unit_code like $1 || '%' and (founded_on is null or founded_on <= $2::date) group by 1, 2`);
	const teams =
		await q(`select o.incubation_level as level, coalesce(t.formed_on, '${RESPONSE_START}')::text as day,
			count(*)::int as n
		from volunteer_teams t join organisations o on o.id = t.organisation_id
		where t.unit_code like $1 || '%' and (t.formed_on is null or t.formed_on <= $2::date) group by 1, 2`);
	const vols =
		await q(`select o.incubation_level as level, v.kind, coalesce(v.joined_on, '${RESPONSE_START}')::text as day,
			count(*)::int as n
		from volunteers v left join organisations o on o.id = v.organisation_id
		where v.home_unit_code like $1 || '%' and (v.joined_on is null or v.joined_on <= $2::date) group by 1, 2, 3`);
	const served = await servedFromRecords(unit, asOf);
	const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((t, x) => t + f(x), 0);

	const byOrg = new Map<
		number,
		{ name: string; level: string; kind: string; vols: Set<number>; shifts: number; hours: number }
	>();
	for (const s of served) {
		if (s.organisation === null) continue;
		const o = byOrg.get(s.organisation) ?? {
			name: s.name,
			level: s.level!,
			kind: s.kind,
			vols: new Set(),
			shifts: 0,
			hours: 0
		};
		o.vols.add(s.volunteer);
		o.shifts++;
		o.hours += s.hours;
		byOrg.set(s.organisation, o);
	}
	return {
		totals: {
			organisations: sum(orgs, (r) => r.n),
			teams: sum(teams, (r) => r.n),
			volunteers: shown(
				sum(vols, (r) => r.n),
				aggregateOnly
			),
			volunteers_served: shown(new Set(served.map((s) => s.volunteer)).size, aggregateOnly),
			shifts: served.length,
			hours: tenths(sum(served, (s) => s.hours))
		},
		levels: LEVELS.map((level) => ({
			level,
			organisations: sum(
				orgs.filter((r) => r.level === level),
				(r) => r.n
			),
			kinds: Object.fromEntries(orgs.filter((r) => r.level === level).map((r) => [r.kind, r.n])),
			teams: sum(
				teams.filter((r) => r.level === level),
				(r) => r.n
			),
			volunteers: shown(
				sum(
					vols.filter((r) => r.level === level),
					(r) => r.n
				),
				aggregateOnly
			),
			hours: tenths(
				sum(
					served.filter((s) => s.level === level),
					(s) => s.hours
				)
			)
		})),
		volunteers_by_kind: Object.fromEntries(
			[...new Set(vols.map((r) => r.kind as string))].map((k) => [
				k,
				shown(
					sum(
						vols.filter((r) => r.kind === k),
						(r) => r.n
					),
					aggregateOnly
				)
			])
		),
		series: days(RESPONSE_START, asOf).map((day) => {
			const that = served.filter((s) => s.day === day);
			return {
				day,
				teams: sum(
					teams.filter((r) => r.day <= day),
					(r) => r.n
				),
				volunteers: shown(
					sum(
						vols.filter((r) => r.day <= day),
						(r) => r.n
					),
					aggregateOnly
				),
				hours: tenths(sum(that, (s) => s.hours)),
				serving: shown(new Set(that.map((s) => s.volunteer)).size, aggregateOnly)
			};
		}),
		top_organisations: [...byOrg]
			.sort((a, b) => b[1].hours - a[1].hours || a[0] - b[0])
			.slice(0, 10)
			.map(([id, o]) => ({
				id,
				name: o.name,
				level: o.level,
				kind: o.kind,
				volunteers: shown(o.vols.size, aggregateOnly),
				shifts: o.shifts,
				hours: tenths(o.hours)
			}))
	};
}

async function overview(who: SupabaseClient, unit: string, asOf: string) {
	const { data, error } = await who.rpc('organisation_overview', { p_unit: unit, p_as_of: asOf });
	expect(error).toBeNull();
	return data;
}

describe('organisation_overview', () => {
	it('gives the city totals of the records: 1,273 organisations, 3,749 teams, 42,444 volunteers', async () => {
		const got = await overview(users.leader, CITY, '2020-03-15');
		const { rows } = await db.query(`select (select count(*) from organisations)::int as organisations,
			(select count(*) from volunteer_teams)::int as teams, (select count(*) from volunteers)::int as volunteers`);
		expect(rows[0]).toEqual({ organisations: 1273, teams: 3749, volunteers: 42444 });
		expect(got.totals).toMatchObject(rows[0]);
	});

	it('matches a count over the records in every figure, for each role in its scope and as of several days', async () => {
		for (const [who, unit, asOf, aggregateOnly] of [
			['leader', CITY, '2020-03-15', true],
			['leader', CITY, '2020-02-01', true],
			['xuyong', XUYONG, '2020-02-05', true],
			['xuyong', XUYONG, '2020-03-12', true],
			['commander', NANCHENG, '2020-02-20', false],
			['secretary', BAIZHAOPAI, '2020-03-14', false]
		] as const) {
			const got = await overview(users[who], unit, asOf);
			const want = await overviewFromRecords(unit, asOf, aggregateOnly);
			expect({ unit, asOf, ...got }).toEqual({
				unit,
				asOf,
				as_of: asOf,
				start: RESPONSE_START,
				suppressed: aggregateOnly,
				...want
			});
			// The platforms add up to the totals (every demo volunteer belongs to an organisation).
			const levels = got.levels as { organisations: number; teams: number; hours: number }[];
			expect(levels.reduce((t, l) => t + l.organisations, 0)).toBe(got.totals.organisations);
			expect(levels.reduce((t, l) => t + l.teams, 0)).toBe(got.totals.teams);
		}
	});

	it('agrees with hours_served on the organisations that served most', async () => {
		const got = await overview(users.commander, NANCHENG, '2020-03-15');
		const { data, error } = await users.commander.rpc('hours_served', {
			p_unit: NANCHENG,
			p_to: '2020-03-15',
			p_by: 'organisation'
		});
		expect(error).toBeNull();
		const served = (data as { id: number; hours: number }[]).slice(0, 10);
		expect(got.top_organisations.map((o: { id: number; hours: number }) => [o.id, o.hours])).toEqual(
			served.map((o) => [o.id, tenths(Number(o.hours))])
		);
	});

	it('counts a new organisation, team and volunteer at once: nothing is a stored total', async () => {
		const before = await overview(users.leader, CITY, '2020-03-15');
		const { rows } = await db.query(
			`with o as (
				insert into organisations (name, kind, incubation_level, unit_code, founded_on)
				values ('测试社区互助队', 'college', 'community', $1, '2020-03-01') returning id
			), t as (
				insert into volunteer_teams (organisation_id, name, unit_code, formed_on)
				select id, '测试社区互助队·一队', $1, '2020-03-01' from o returning id, organisation_id
			)
			insert into volunteers (team_id, organisation_id, kind, name, phone, home_unit_code, joined_on)
			select id, organisation_id, 'medical', '测试志愿者', '13900000000', $1, '2020-03-02' from t
			returning id, organisation_id`,
			[BAIZHAOPAI]
		);
		const { id: volunteer, organisation_id: organisation } = rows[0];
		try {
			const after = await overview(users.leader, CITY, '2020-03-15');
			expect(after.totals).toEqual({
				...before.totals,
				organisations: 1274,
				teams: 3750,
				volunteers: 42445
			});
			const community = (o: typeof before) =>
				o.levels.find((l: { level: string }) => l.level === 'community');
			expect(community(after).kinds.college).toBe((community(before).kinds.college ?? 0) + 1);
			expect(after.volunteers_by_kind.medical).toBe(before.volunteers_by_kind.medical + 1);
			// Not yet there the day before the volunteer joined.
			const earlier = await overview(users.leader, CITY, '2020-03-01');
			expect(earlier.totals.volunteers).toBe(42444);
		} finally {
			// Deleting the organisation takes its team along but would leave the volunteer without one.
			await db.query(`delete from volunteers where id = $1`, [volunteer]);
			await db.query(`delete from organisations where id = $1`, [organisation]);
		}
		expect((await overview(users.leader, CITY, '2020-03-15')).totals).toEqual(before.totals);
	});
});

describe('daily_briefing', () => {
	async function fromRecords(unit: string, day: string, aggregateOnly: boolean) {
		const bounds = `(($2::date)::timestamp at time zone 'Asia/Shanghai')`;
		const next = `(($2::date + 1)::timestamp at time zone 'Asia/Shanghai')`;
		const [opened, moves, shifts] = await Promise.all([
			db.query(
				`select count(*)::int as n from leads
				where grid_code like $1 || '%' and reported_at >= ${bounds} and reported_at < ${next}`,
				[unit, day]
			),
			db.query(
				`select to_status, count(*)::int as n from lead_events
				where grid_code like $1 || '%' and from_status is not null and at >= ${bounds} and at < ${next} group by 1`,
				[unit, day]
			),
			db.query(
				`select s.status, s.volunteer_id::int as volunteer, v.organisation_id::int as organisation,
					o.incubation_level as level, extract(epoch from upper(s.period) - lower(s.period))::float / 3600 as hours
				from shifts s join volunteers v on v.id = s.volunteer_id left join organisations o on o.id = v.organisation_id
				where s.community_code like $1 || '%' and lower(s.period) >= ${bounds} and lower(s.period) < ${next}`,
				[unit, day]
			)
		]);
		const move = (status: string) => moves.rows.find((r) => r.to_status === status)?.n ?? 0;
		const served = shifts.rows.filter((s) => s.status === 'planned' || s.status === 'done');
		const hours = (xs: typeof served) => tenths(xs.reduce((t, s) => t + s.hours, 0));
		return {
			unit,
			as_of: day,
			leads: {
				opened: opened.rows[0].n,
				verifying: move('verifying'),
				assigned: move('assigned'),
				handled: move('handled'),
				closed: move('closed'),
				dismissed: move('dismissed')
			},
			deployment: {
				shifts: served.length,
				volunteers: shown(new Set(served.map((s) => s.volunteer)).size, aggregateOnly),
				hours: hours(served),
				organisations: new Set(served.map((s) => s.organisation).filter((o) => o !== null)).size,
				no_shows: shifts.rows.filter((s) => s.status === 'no_show').length,
				levels: LEVELS.map((level) => {
					const of = served.filter((s) => s.level === level);
					return {
						level,
						volunteers: shown(new Set(of.map((s) => s.volunteer)).size, aggregateOnly),
						hours: hours(of)
					};
				})
			}
		};
	}

	it('counts the day\u2019s leads and deployment as the records do', async () => {
		let leadsSeen = 0;
		for (const [who, unit, day, aggregateOnly] of [
			['leader', CITY, '2020-03-10', true],
			['leader', CITY, '2020-02-03', true],
			['commander', NANCHENG, '2020-02-20', false],
			['secretary', BAIZHAOPAI, '2020-03-14', false]
		] as const) {
			const { data, error } = await users[who].rpc('daily_briefing', { p_unit: unit, p_as_of: day });
			expect(error).toBeNull();
			const want = await fromRecords(unit, day, aggregateOnly);
			expect(data).toEqual(want);
			leadsSeen += Object.values(want.leads).reduce((t, n) => t + n, 0);
		}
		expect(leadsSeen).toBeGreaterThan(0);
	});

	it('gives the same hours for a past day as the organisation series', async () => {
		const overviewDay = await overview(users.leader, CITY, '2020-03-12');
		const { data } = await users.leader.rpc('daily_briefing', { p_unit: CITY, p_as_of: '2020-03-11' });
		const point = overviewDay.series.find((p: { day: string }) => p.day === '2020-03-11');
		expect(point.hours).toBeGreaterThan(0);
		expect(point.hours).toBe(data.deployment.hours);
	});
});

describe('who may read them', () => {
	it('refuses other units, volunteers and anonymous callers', async () => {
		for (const fn of ['organisation_overview', 'daily_briefing']) {
			const args = (unit: string) => ({ p_unit: unit, p_as_of: '2020-03-10' });
			expect((await users.xuyong.rpc(fn, args(CITY))).error?.code).toBe('42501');
			expect((await users.xuyong.rpc(fn, args('510502'))).error?.code).toBe('42501');
			expect((await users.secretary.rpc(fn, args(NANCHENG))).error?.code).toBe('42501');
			const volunteer = await users.volunteer.rpc(fn, args(BAIZHAOPAI));
			expect(volunteer.error?.code).toBe('42501');
			expect(volunteer.error?.message).toContain('仅领导、指挥长和书记');
			expect((await client().rpc(fn, args(BAIZHAOPAI))).error).not.toBeNull();
			expect((await users.leader.rpc(fn, args('5105%'))).error?.code).toBe('42501');
		}
	});

	it('gives a leader no name, phone or ID number', async () => {
		const { rows: names } = await db.query(
			`(select v.name from volunteers v where char_length(v.name) >= 3
				and not exists (select 1 from units u where position(v.name in u.name) > 0)
				and not exists (select 1 from organisations o where position(v.name in o.name) > 0)
				order by v.id limit 5)
			union all
			(select r.name from residents r where char_length(r.name) >= 3
				and not exists (select 1 from units u where position(r.name in u.name) > 0)
				and not exists (select 1 from organisations o where position(r.name in o.name) > 0)
				order by r.id limit 5)`
		);
		expect(names.length).toBe(10);
		const text = JSON.stringify([
			await overview(users.leader, CITY, '2020-03-15'),
			await overview(users.xuyong, XUYONG, '2020-03-15'),
			(await users.leader.rpc('daily_briefing', { p_unit: CITY, p_as_of: '2020-03-10' })).data,
			(await users.leader.rpc('daily_briefing', { p_unit: NANCHENG, p_as_of: '2020-03-10' })).data
		]);
		expect(text).not.toMatch(/1[3-9]\d{9}|\d{17}[\dX]/);
		for (const { name } of names) expect(text).not.toContain(name);
	});
});
