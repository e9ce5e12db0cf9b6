/**
 * The roster (issue #4) through supabase-js as each demo role, against the seeded embedded stack: checkpoints
 * kept inside the street, assigning, double booking, capacity, copying a day, swapping, the gap grid,
 * candidates, hours served, and who sees what. Concurrency needs real sessions: tests/db/pg15-roster.test.ts.
 *
 * Every shift written here lies eight to twelve days ahead (no seeded shift does), on checkpoints this file creates; both are
 * removed before and after, so a kept data folder (DB_TEST_DATA_DIR) gives the same results run after run.
 */
import { createClient, type PostgrestError, type SupabaseClient } from '@supabase/supabase-js';
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gapClass, staffingOver } from '$lib/domain/roster';
import { stack } from './stack-env';

const PASSWORD = 'wanggetong-2020';
const BAIZHAOPAI = '510502001006';
const FENGHUANG = '510502001007';
const SHANGPING = '510502001001';
const NANCHENG = '510502001';
/** Days the seed left empty, inside the running drill: ten and eleven days ahead (a roster plans two weeks). */
const inDays = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);
const DAY = inDays(10);
const NEXT_DAY = inDays(11);
const TEST_NAME = '排班测试';

/** An instant on a day in China Standard Time, as the UI sends it. */
const at = (day: string, hhmm: string) => `${day}T${hhmm}:00+08:00`;

interface Volunteer {
	id: number;
	name: string;
}
interface Checkpoint {
	id: number;
	name: string;
	lon: number;
	lat: number;
}

let db: pg.Client;
const users: Record<string, SupabaseClient> = {};
/** Volunteers living in 白招牌社区 (not the demo volunteer), by id. */
let locals: Volunteer[];
let shangpingVolunteer: Volunteer;
let beichengVolunteer: Volunteer;
/** Checkpoints made for these tests in 白招牌社区: 甲 takes 2 per cell, 乙 takes 3. */
let cpA: Checkpoint;
let cpB: Checkpoint;
let beichengCheckpoint: Checkpoint;
let fenghuangCheckpoint: Checkpoint;

async function signedIn(email: string): Promise<SupabaseClient> {
	const c = createClient(stack().url, stack().anonKey, {
		auth: { persistSession: false, autoRefreshToken: false }
	});
	const { error } = await c.auth.signInWithPassword({ email, password: PASSWORD });
	if (error) throw error;
	return c;
}

async function cleanUp(): Promise<void> {
	await db.query(
		`delete from shifts where lower(period) >= '${inDays(8)} 00:00+08' and lower(period) < '${inDays(13)} 00:00+08'`
	);
	await db.query(`delete from checkpoints where name like '${TEST_NAME}%'`);
}

async function rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
	return (await db.query(sql, params)).rows as T[];
}

/** assign_shift as `who`; returns the new id or throws the PostgREST error. */
async function assign(
	who: SupabaseClient,
	checkpoint: Checkpoint,
	volunteer: Volunteer,
	from: string,
	to: string,
	day = DAY
): Promise<number> {
	const { data, error } = await who.rpc('assign_shift', {
		p_checkpoint_id: checkpoint.id,
		p_volunteer_id: volunteer.id,
		p_starts: at(day, from),
		p_ends: at(day, to)
	});
	if (error) throw error;
	return Number(data);
}

/** The error assign_shift answers with (fails the test if it succeeded). */
async function assignError(
	who: SupabaseClient,
	checkpoint: Checkpoint,
	volunteer: Volunteer,
	from: string,
	to: string
): Promise<PostgrestError> {
	const { data, error } = await who.rpc('assign_shift', {
		p_checkpoint_id: checkpoint.id,
		p_volunteer_id: volunteer.id,
		p_starts: at(DAY, from),
		p_ends: at(DAY, to)
	});
	expect(data).toBeNull();
	expect(error).not.toBeNull();
	return error!;
}

beforeAll(async () => {
	db = new pg.Client({ connectionString: stack().pgUrl });
	await db.connect();
	await cleanUp();
	for (const [k, email] of Object.entries({
		secretary: 'secretary@baizhaopai.demo',
		shangping: 'secretary@shangping.demo',
		commander: 'commander@nancheng.demo',
		beicheng: 'commander@beicheng.demo',
		leader: 'leader@luzhou.demo',
		volunteer: 'volunteer@baizhaopai.demo'
	}))
		users[k] = await signedIn(email);

	const demoVolunteer = await rows<{ volunteer_id: string }>(
		`select m.volunteer_id from memberships m join auth.users u on u.id = m.user_id
		 where u.email = 'volunteer@baizhaopai.demo'`
	);
	locals = await rows<Volunteer>(
		`select id::int, name from volunteers where home_unit_code = $1 and id <> $2 order by id limit 12`,
		[BAIZHAOPAI, demoVolunteer[0].volunteer_id]
	);
	[shangpingVolunteer] = await rows<Volunteer>(
		`select id::int, name from volunteers where home_unit_code = $1 order by id limit 1`,
		[SHANGPING]
	);
	[beichengVolunteer] = await rows<Volunteer>(
		`select id::int, name from volunteers where home_unit_code like '510502002%' order by id limit 1`
	);
	const seeded = await rows<Checkpoint>(
		`select id::int, name, lon, lat from checkpoints where community_code = $1 order by id`,
		[BAIZHAOPAI]
	);
	// Placed where seeded checkpoints stand, so inside the community by construction.
	[cpA, cpB] = await rows<Checkpoint>(
		`insert into checkpoints (community_code, name, kind, lon, lat, staff_required) values
			($1, '${TEST_NAME}甲', 'road_checkpoint', $2, $3, 2), ($1, '${TEST_NAME}乙', 'persuasion_point', $4, $5, 3)
		 returning id::int, name, lon, lat`,
		[BAIZHAOPAI, seeded[0].lon, seeded[0].lat, seeded[1].lon, seeded[1].lat]
	);
	[beichengCheckpoint] = await rows<Checkpoint>(
		`select id::int, name, lon, lat from checkpoints where community_code like '510502002%' order by id limit 1`
	);
	[fenghuangCheckpoint] = await rows<Checkpoint>(
		`select id::int, name, lon, lat from checkpoints where community_code = $1 order by id limit 1`,
		[FENGHUANG]
	);
});

afterAll(async () => {
	if (db) await cleanUp();
	await db?.end();
});

describe('checkpoints stay inside the street', () => {
	const place = (who: SupabaseClient, community: string, lon: number, lat: number) =>
		who
			.from('checkpoints')
			.insert({ community_code: community, name: `${TEST_NAME}卡口`, kind: 'road_checkpoint', lon, lat })
			.select('id')
			.single();

	it('refuses a point outside the street, in Chinese, and says which street', async () => {
		const { data, error } = await place(
			users.commander,
			BAIZHAOPAI,
			beichengCheckpoint.lon,
			beichengCheckpoint.lat
		);
		expect(data).toBeNull();
		expect(error!.code).toBe('P0001');
		expect(error!.hint).toBe('checkpoint_outside_street');
		expect(error!.message).toBe('检查点不在南城街道范围内');
	});

	it('refuses a point in another community of the street and names that community', async () => {
		const { error } = await place(
			users.commander,
			BAIZHAOPAI,
			fenghuangCheckpoint.lon,
			fenghuangCheckpoint.lat
		);
		expect(error!.hint).toBe('checkpoint_outside_unit');
		expect(error!.message).toBe('检查点不在白招牌社区范围内：该位置属于凤凰社区');
		expect(JSON.parse(error!.details).found_community_code).toBe(FENGHUANG);
	});

	it('refuses a point inside the community’s bounding box but outside its boundary', async () => {
		// A building of a neighbouring community within 白招牌社区's bbox: only the polygon test can tell.
		const [b] = await rows<{ lon: number; lat: number; community_code: string; name: string }>(
			`select b.lon, b.lat, b.community_code, n.name from buildings b
			 join units u on u.code = $1 join units n on n.code = b.community_code
			 where b.community_code like '${NANCHENG}%' and b.community_code <> $1
				and b.lon between u.min_lon and u.max_lon and b.lat between u.min_lat and u.max_lat
			 order by b.id limit 1`,
			[BAIZHAOPAI]
		);
		expect(b).toBeDefined();
		const { error } = await place(users.commander, BAIZHAOPAI, b.lon, b.lat);
		expect(error!.hint).toBe('checkpoint_outside_unit');
		expect(error!.message).toBe(`检查点不在白招牌社区范围内：该位置属于${b.name}`);
		expect(JSON.parse(error!.details).found_community_code).toBe(b.community_code);
	});

	it('decides inside and outside as Turf does, holes and multipolygons included', async () => {
		const [unit] = await rows<{
			geometry: Polygon;
			min_lon: number;
			min_lat: number;
			max_lon: number;
			max_lat: number;
		}>(`select geometry, min_lon, min_lat, max_lon, max_lat from units where code = $1`, [BAIZHAOPAI]);
		// A square with a square hole, and a MultiPolygon of it and a second square.
		const square: Polygon = {
			type: 'Polygon',
			coordinates: [
				[
					[0, 0],
					[4, 0],
					[4, 4],
					[0, 4],
					[0, 0]
				],
				[
					[1, 1],
					[1, 3],
					[3, 3],
					[3, 1],
					[1, 1]
				]
			]
		};
		const multi: MultiPolygon = {
			type: 'MultiPolygon',
			coordinates: [
				square.coordinates,
				[
					[
						[10, 10],
						[12, 10],
						[12, 12],
						[10, 12],
						[10, 10]
					]
				]
			]
		};
		// Deterministic points over the community's bbox (a little beyond it) and over the squares.
		const points: [Polygon | MultiPolygon, number, number][] = [];
		for (let i = 0; i < 300; i++) {
			const u = ((i * 7919) % 1000) / 1000;
			const v = ((i * 104729) % 997) / 997;
			const w = 0.2 * (unit.max_lon - unit.min_lon);
			const h = 0.2 * (unit.max_lat - unit.min_lat);
			points.push([
				unit.geometry,
				unit.min_lon - w + u * (unit.max_lon - unit.min_lon + 2 * w),
				unit.min_lat - h + v * (unit.max_lat - unit.min_lat + 2 * h)
			]);
			points.push([multi, -1 + u * 14.5, -1 + v * 14.5]);
		}
		points.push([square, 2, 2], [square, 0.5, 2], [multi, 11, 11], [multi, 7, 7]);
		const { rows: answers } = await db.query(
			`select private.point_in_area(p.g, p.lon, p.lat) as inside
			 from rows from (jsonb_to_recordset($1::jsonb) as (g jsonb, lon double precision, lat double precision))
				with ordinality as p(g, lon, lat, n)
			 order by p.n`,
			[JSON.stringify(points.map(([g, lon, lat]) => ({ g, lon, lat })))]
		);
		const turf = points.map(([g, lon, lat]) => booleanPointInPolygon([lon, lat], g));
		expect(answers.map((a) => a.inside)).toEqual(turf);
		expect(turf.slice(-4)).toEqual([false, true, true, false]);
		expect(turf.filter(Boolean).length).toBeGreaterThan(100);
	});

	it('refuses a commander placing one in another street’s community', async () => {
		const { error } = await place(users.beicheng, BAIZHAOPAI, cpA.lon, cpA.lat);
		expect(error!.code).toBe('42501');
		expect(error!.hint).toBe('checkpoint_outside_scope');
	});

	it('adds, moves (within and out of the community), edits and closes a checkpoint', async () => {
		const added = await place(users.commander, BAIZHAOPAI, cpA.lon, cpA.lat);
		expect(added.error).toBeNull();
		const id = added.data!.id;
		const moveTo = (lon: number, lat: number) =>
			users.commander.from('checkpoints').update({ lon, lat }).eq('id', id).select('lon, lat').single();
		const inside = await moveTo(cpB.lon, cpB.lat);
		expect(inside.error).toBeNull();
		expect(inside.data).toEqual({ lon: cpB.lon, lat: cpB.lat });
		const outside = await moveTo(beichengCheckpoint.lon, beichengCheckpoint.lat);
		expect(outside.error!.hint).toBe('checkpoint_outside_street');
		const [stored] = await rows<{ lon: number }>(`select lon from checkpoints where id = $1`, [id]);
		expect(stored.lon).toBe(cpB.lon);

		const edited = await users.commander
			.from('checkpoints')
			.update({ name: `${TEST_NAME}卡口（改）`, staff_required: 4, open_from: '08:00', open_until: '20:00' })
			.eq('id', id)
			.select('name, staff_required, open_from, open_until')
			.single();
		expect(edited.data).toEqual({
			name: `${TEST_NAME}卡口（改）`,
			staff_required: 4,
			open_from: '08:00:00',
			open_until: '20:00:00'
		});
		// Open 08-20: a night shift there is refused.
		const night = await assignError(users.commander, { ...cpA, id }, locals[0], '20:00', '23:00');
		expect(night.hint).toBe('checkpoint_closed_hours');

		// Moved into 凤凰社区 (the same street), its shifts follow; closed, its planned shifts are cancelled.
		const planned = await assign(users.commander, { ...cpA, id }, locals[0], '08:00', '12:00', inDays(8));
		const moved = await users.commander
			.from('checkpoints')
			.update({ community_code: FENGHUANG, lon: fenghuangCheckpoint.lon, lat: fenghuangCheckpoint.lat })
			.eq('id', id);
		expect(moved.error).toBeNull();
		const shiftState = async () =>
			(
				await rows<{ community_code: string; status: string }>(
					`select community_code, status from shifts where id = $1`,
					[planned]
				)
			)[0];
		expect(await shiftState()).toEqual({ community_code: FENGHUANG, status: 'planned' });
		const closed = await users.commander.from('checkpoints').update({ status: 'closed' }).eq('id', id);
		expect(closed.error).toBeNull();
		expect(await shiftState()).toEqual({ community_code: FENGHUANG, status: 'cancelled' });
		const onClosed = await assignError(users.commander, { ...cpA, id }, locals[0], '08:00', '12:00');
		expect(onClosed.hint).toBe('checkpoint_not_active');
		expect(onClosed.message).toBe(`检查点「${TEST_NAME}卡口（改）」已关闭，不能排班`);
		// Out of the secretary's community now: she can no longer edit it.
		const hers = await users.secretary
			.from('checkpoints')
			.update({ status: 'active' })
			.eq('id', id)
			.select('id');
		expect(hers.data).toEqual([]);
	});
});

describe('assigning volunteers to a cell', () => {
	it('lets the commander assign in his street, lending between its communities, and nowhere else', async () => {
		const own = await assign(users.commander, cpA, locals[0], '08:00', '12:00');
		const lent = await assign(users.commander, cpB, shangpingVolunteer, '08:00', '12:00');
		const stored = await rows<{ id: string; community_code: string; status: string }>(
			`select id, community_code, status from shifts where id in ($1, $2) order by id`,
			[own, lent]
		);
		expect(stored.map((s) => [s.community_code, s.status])).toEqual([
			[BAIZHAOPAI, 'planned'],
			[BAIZHAOPAI, 'planned']
		]);

		const otherStreet = await assignError(users.commander, beichengCheckpoint, locals[1], '08:00', '12:00');
		expect(otherStreet.code).toBe('42501');
		expect(otherStreet.hint).toBe('outside_scope');
		const foreignVolunteer = await assignError(users.commander, cpA, beichengVolunteer, '12:00', '16:00');
		expect(foreignVolunteer.hint).toBe('volunteer_outside_scope');
		// The commander of 北城街道 may not roster in 南城街道, nor take its volunteers.
		expect((await assignError(users.beicheng, cpA, beichengVolunteer, '12:00', '16:00')).hint).toBe(
			'outside_scope'
		);
		expect((await assignError(users.beicheng, beichengCheckpoint, locals[1], '12:00', '16:00')).hint).toBe(
			'volunteer_outside_scope'
		);
	});

	it('lets a secretary roster her own volunteers in her community, not lend others’ nor roster elsewhere', async () => {
		const id = await assign(users.secretary, cpA, locals[1], '12:00', '16:00');
		expect(id).toBeGreaterThan(0);
		expect((await assignError(users.secretary, cpB, shangpingVolunteer, '12:00', '16:00')).hint).toBe(
			'volunteer_outside_scope'
		);
		expect((await assignError(users.shangping, cpA, shangpingVolunteer, '16:00', '20:00')).hint).toBe(
			'outside_scope'
		);
		for (const who of [users.leader, users.volunteer]) {
			const e = await assignError(who, cpA, locals[2], '16:00', '20:00');
			expect(e.code).toBe('42501');
			expect(e.hint).toBe('not_allowed');
		}
	});

	it('refuses double booking, saying in Chinese who and which shift conflicts', async () => {
		const v = locals[3];
		const first = await assign(users.commander, cpA, v, '16:00', '20:00');
		const e = await assignError(users.commander, cpB, v, '18:00', '22:00');
		expect(e.code).toBe('23P01');
		expect(e.hint).toBe('shift_conflict');
		expect(e.message).toBe(`志愿者${v.name}在该时段已有班次：${cpA.name}，${DAY} 16:00–20:00`);
		const detail = JSON.parse(e.details);
		expect(detail.shift_id).toBe(first);
		expect(detail.checkpoint_id).toBe(cpA.id);
		expect(new Date(detail.starts).toISOString()).toBe(new Date(at(DAY, '16:00')).toISOString());
	});

	it('does not count cancelled shifts, and cancels only planned ones', async () => {
		const v = locals[4];
		const first = await assign(users.commander, cpA, v, '20:00', '23:00');
		expect((await assignError(users.commander, cpB, v, '21:00', '23:00')).hint).toBe('shift_conflict');
		const cancelled = await users.commander.rpc('cancel_shift', { p_shift_id: first });
		expect(cancelled.error).toBeNull();
		expect(await assign(users.commander, cpB, v, '21:00', '23:00')).toBeGreaterThan(first);
		// Cancelling twice is harmless; a shift outside the caller's unit is not found.
		expect((await users.commander.rpc('cancel_shift', { p_shift_id: first })).error).toBeNull();
		const foreign = await users.shangping.rpc('cancel_shift', { p_shift_id: first });
		expect(foreign.error!.hint).toBe('outside_scope');
		const [done] = await rows<{ id: string }>(
			`select id from shifts where community_code = $1 and status = 'done' limit 1`,
			[BAIZHAOPAI]
		);
		const history = await users.commander.rpc('cancel_shift', { p_shift_id: Number(done.id) });
		expect(history.error!.hint).toBe('shift_not_planned');
	});

	it('lands adjacent shifts of one volunteer', async () => {
		const v = locals[5];
		const morning = await assign(users.commander, cpA, v, '00:00', '04:00');
		const next = await assign(users.commander, cpB, v, '04:00', '08:00');
		expect(next).toBeGreaterThan(morning);
	});

	it('never fills a cell beyond the checkpoint’s staff_required', async () => {
		// 乙 takes 3: shangping's volunteer holds 08-12 already (first test); two more fit, the fourth does not.
		await assign(users.commander, cpB, locals[6], '08:00', '12:00');
		await assign(users.commander, cpB, locals[7], '08:00', '12:00');
		const full = await assignError(users.commander, cpB, locals[8], '08:00', '12:00');
		expect(full.code).toBe('P0001');
		expect(full.hint).toBe('cell_full');
		expect(full.message).toBe(`检查点「${cpB.name}」${DAY} 08:00–12:00已排满：需要3人，已安排3人`);
		// A shift overlapping only part of the full cell is refused too; one after it is not.
		expect((await assignError(users.commander, cpB, locals[8], '11:00', '13:00')).hint).toBe('cell_full');
		expect(await assign(users.commander, cpB, locals[8], '12:00', '13:00')).toBeGreaterThan(0);
	});
});

describe('a day’s roster', () => {
	type Cell = {
		checkpoint_id: number;
		checkpoint_name: string;
		slot: number;
		slot_label: string;
		starts: string;
		ends: string;
		required: number;
		staffed: number;
		peak: number;
		assigned: number;
		uncovered: { starts: string; ends: string }[];
		uncovered_hours: number;
		required_hours: number;
		missing_hours: number;
		volunteers: { volunteer_id: number; name: string; lent: boolean; status: string }[] | null;
	};
	const day = async (who: SupabaseClient, unit: string, d = DAY, slots?: unknown) => {
		const { data, error } = await who.rpc('roster_day', {
			p_unit: unit,
			p_day: d,
			...(slots ? { p_slots: slots } : {})
		});
		if (error) throw error;
		return data as Cell[];
	};

	it('gives one cell per checkpoint and slot, staffed against required, lent names masked for the secretary', async () => {
		const cells = await day(users.commander, BAIZHAOPAI);
		const [{ n }] = await rows<{ n: string }>(
			`select count(*) n from checkpoints where community_code = $1 and status <> 'closed'`,
			[BAIZHAOPAI]
		);
		expect(cells.length).toBe(Number(n) * 4);
		const b = cells.filter((c) => c.checkpoint_id === cpB.id);
		expect(b.map((c) => c.slot_label)).toEqual(['08-12', '12-16', '16-20', '20-08']);
		// 08-12 at 乙: three seats taken (full), plus the 12-13 shift that begins as the slot ends.
		expect(b[0]).toMatchObject({ required: 3, staffed: 3, peak: 3, assigned: 3, missing_hours: 0 });
		// 12-16: one volunteer for the first hour only: there 12-13, nobody 13-16; 2 seats short for an hour,
		// 3 for three hours.
		expect(b[1]).toMatchObject({ required: 3, staffed: 0, peak: 1, assigned: 1, uncovered_hours: 3 });
		expect(b[1].missing_hours).toBe(2 * 1 + 3 * 3);
		expect(b[1].uncovered.map((u) => [Date.parse(u.starts), Date.parse(u.ends)])).toEqual([
			[Date.parse(at(DAY, '13:00')), Date.parse(at(DAY, '16:00'))]
		]);
		const lent = b[0].volunteers!.find((v) => v.volunteer_id === shangpingVolunteer.id)!;
		expect(lent).toMatchObject({ name: shangpingVolunteer.name, lent: true, status: 'planned' });

		const secretary = await day(users.secretary, BAIZHAOPAI);
		const seen = secretary.find((c) => c.checkpoint_id === cpB.id && c.slot === 1)!;
		const masked = seen.volunteers!.find((v) => v.volunteer_id === shangpingVolunteer.id)!;
		expect(masked.name).toBe(shangpingVolunteer.name[0] + '*'.repeat(shangpingVolunteer.name.length - 1));
		const own = seen.volunteers!.find((v) => v.volunteer_id === locals[6].id)!;
		expect(own.name).toBe(locals[6].name);
	});

	it('takes configurable slots, a slot past midnight ending the next day', async () => {
		const cells = await day(users.commander, BAIZHAOPAI, DAY, [
			{ from: '00:00', to: '08:00', label: '夜班' },
			{ from: '22:00', to: '06:00' }
		]);
		const a = cells.filter((c) => c.checkpoint_id === cpA.id);
		expect(a.map((c) => c.slot_label)).toEqual(['夜班', '22-06']);
		expect(a[0]).toMatchObject({ required: 2, staffed: 0, assigned: 1 }); // locals[5] 00-04 only
		const bad = await users.commander.rpc('roster_day', {
			p_unit: BAIZHAOPAI,
			p_day: DAY,
			p_slots: [{ from: '8:00', to: '12:00' }]
		});
		expect(bad.error!.hint).toBe('invalid_slots');
	});

	it('shows the seeded response: the gap map of 白招牌社区 on 2020-03-14 agrees with the shifts table', async () => {
		const cells = await day(users.commander, BAIZHAOPAI, '2020-03-14');
		const [expected] = await rows<{ n: string }>(
			`select count(*) n from shifts s join checkpoints c on c.id = s.checkpoint_id
			 where c.community_code = $1 and s.status in ('planned', 'done')
				and s.period && tstzrange('2020-03-14 08:00+08', '2020-03-14 12:00+08')`,
			[BAIZHAOPAI]
		);
		const morning = cells.filter((c) => c.slot === 1);
		expect(morning.reduce((sum, c) => sum + c.assigned, 0)).toBe(Number(expected.n));
		for (const c of cells) expect(c.missing_hours).toBeLessThanOrEqual(c.required_hours);
	});

	it('reads a night cell across its period: the evening shift is there until midnight, nobody after (issue #20)', async () => {
		const d = inDays(12);
		const next = inDays(13);
		const night = async () =>
			(await day(users.commander, BAIZHAOPAI, d)).find((c) => c.checkpoint_id === cpA.id && c.slot === 4)!;
		for (const v of [locals[10], locals[11]])
			await db.query(
				`insert into shifts (volunteer_id, checkpoint_id, period, status)
				 values ($1, $2, tstzrange($3::timestamptz, $4::timestamptz), 'planned')`,
				[v.id, cpA.id, at(d, '16:00'), at(next, '00:00')]
			);
		const evening = await night();
		expect(evening).toMatchObject({ required: 2, staffed: 0, peak: 2, assigned: 2, uncovered_hours: 8 });
		expect(evening.uncovered.map((u) => [Date.parse(u.starts), Date.parse(u.ends)])).toEqual([
			[Date.parse(at(next, '00:00')), Date.parse(at(next, '08:00'))]
		]);
		expect([evening.required_hours, evening.missing_hours]).toEqual([24, 16]);
		expect(gapClass(evening)).toBe('uncovered');

		// One of them back for 00-08: someone is there all night, short of two after midnight.
		await db.query(
			`insert into shifts (volunteer_id, checkpoint_id, period, status)
			 values ($1, $2, tstzrange($3::timestamptz, $4::timestamptz), 'planned')`,
			[locals[10].id, cpA.id, at(next, '00:00'), at(next, '08:00')]
		);
		const covered = await night();
		expect(covered).toMatchObject({
			staffed: 1,
			peak: 2,
			uncovered: [],
			uncovered_hours: 0,
			missing_hours: 8
		});
		expect(gapClass(covered)).toBe('short');
	});

	it('agrees with the TypeScript rule on every cell of a seeded day of 南城街道', async () => {
		const cells = await day(users.commander, NANCHENG, '2020-03-14');
		const seats = await rows<{ checkpoint_id: string; a: Date; b: Date }>(
			`select checkpoint_id, lower(period) as a, upper(period) as b from shifts
			 where community_code like $1 || '%' and status in ('planned', 'done')
				and period && tstzrange('2020-03-14 00:00+08', '2020-03-16 00:00+08')`,
			[NANCHENG]
		);
		expect(cells.length).toBeGreaterThan(0);
		for (const c of cells) {
			const mine = seats
				.filter((s) => Number(s.checkpoint_id) === c.checkpoint_id)
				.map((s) => [s.a.getTime(), s.b.getTime()] as const);
			const want = staffingOver([Date.parse(c.starts), Date.parse(c.ends)], mine, c.required);
			expect(
				[c.staffed, c.peak, c.uncovered_hours, c.missing_hours],
				`${c.checkpoint_id} ${c.slot_label}`
			).toEqual([
				want.low,
				want.peak,
				Math.round(want.uncoveredHours * 100) / 100,
				Math.round(want.missingHours * 100) / 100
			]);
		}
	});

	it('shows the seeded nights staffed: no night cell of 南城街道 is empty, in 2020 or in the drill (issue #20)', async () => {
		for (const d of ['2020-02-14', '2020-03-14', inDays(0)]) {
			// The seeded checkpoints (not the ones these tests place, which have no shifts on those days).
			const nights = (await day(users.commander, NANCHENG, d)).filter(
				(c) => c.slot === 4 && c.required > 0 && !c.checkpoint_name.startsWith(TEST_NAME)
			);
			expect(nights.length, d).toBeGreaterThan(10);
			expect(
				nights.filter((c) => c.peak === 0).map((c) => c.checkpoint_id),
				d
			).toEqual([]);
			// Shifts run through the night (00-08), so most night cells have someone there throughout.
			expect(nights.filter((c) => c.staffed > 0).length / nights.length, d).toBeGreaterThan(0.8);
		}
	});

	it('copies a day to the next, skipping what is already there, all or nothing', async () => {
		const [{ n }] = await rows<{ n: string }>(
			`select count(*) n from shifts where community_code = $1 and status <> 'cancelled' and checkpoint_id is not null
				and lower(period) >= $2::date::timestamp at time zone 'Asia/Shanghai'
				and lower(period) < ($2::date + 1)::timestamp at time zone 'Asia/Shanghai'`,
			[BAIZHAOPAI, DAY]
		);
		expect(Number(n)).toBeGreaterThan(5);
		const first = await users.commander.rpc('copy_roster_day', {
			p_unit: NANCHENG,
			p_from: DAY,
			p_to: NEXT_DAY
		});
		expect(first.error).toBeNull();
		expect(first.data[0]).toMatchObject({ copied: Number(n), skipped: 0, skipped_shifts: [] });
		const next = await day(users.commander, BAIZHAOPAI, NEXT_DAY);
		const today = await day(users.commander, BAIZHAOPAI, DAY);
		// Slots 1-3 (the night slot of DAY runs into NEXT_DAY, where the copies now are).
		const counts = (cells: Cell[]) =>
			cells.filter((c) => c.slot < 4).map((c) => [c.checkpoint_id, c.slot, c.assigned, c.staffed]);
		expect(counts(next)).toEqual(counts(today));

		const again = await users.commander.rpc('copy_roster_day', {
			p_unit: NANCHENG,
			p_from: DAY,
			p_to: NEXT_DAY
		});
		expect(again.data[0].copied).toBe(0);
		expect(again.data[0].skipped).toBe(Number(n));
		expect(new Set(again.data[0].skipped_shifts.map((s: { reason: string }) => s.reason))).toEqual(
			new Set(['already_rostered'])
		);

		// A volunteer already busy on the target day is skipped with the reason; the rest land.
		await db.query(
			`delete from shifts where lower(period) >= $1::date::timestamp at time zone 'Asia/Shanghai'
			and lower(period) < ($1::date + 1)::timestamp at time zone 'Asia/Shanghai'`,
			[NEXT_DAY]
		);
		// Busy at a seeded checkpoint, so the copies' cells keep their room.
		const [elsewhere] = await rows<Checkpoint>(
			`select id::int, name, lon, lat from checkpoints where community_code = $1 and status = 'active'
				and name not like '${TEST_NAME}%' order by id limit 1`,
			[BAIZHAOPAI]
		);
		const busy = await assign(users.commander, elsewhere, locals[0], '06:00', '10:00', NEXT_DAY);
		const third = await users.commander.rpc('copy_roster_day', {
			p_unit: BAIZHAOPAI,
			p_from: DAY,
			p_to: NEXT_DAY
		});
		expect(third.error).toBeNull();
		expect(third.data[0].copied).toBe(Number(n) - 1);
		expect(third.data[0].skipped_shifts).toEqual([
			expect.objectContaining({ volunteer_id: locals[0].id, checkpoint_id: cpA.id, reason: 'shift_conflict' })
		]);
		expect(third.data[0].skipped_shifts[0].message).toContain(locals[0].name);
		await users.commander.rpc('cancel_shift', { p_shift_id: busy });

		const refused = await users.secretary.rpc('copy_roster_day', {
			p_unit: NANCHENG,
			p_from: DAY,
			p_to: NEXT_DAY
		});
		expect(refused.error!.hint).toBe('outside_scope');
	});

	it('swaps the volunteers of two shifts atomically, or not at all when either would clash', async () => {
		const S = inDays(12);
		const [v9, v10, v11] = [locals[9], locals[10], locals[11]];
		const a = await assign(users.commander, cpA, v9, '08:00', '12:00', S);
		const b = await assign(users.commander, cpB, v10, '12:00', '16:00', S);
		const holders = (ids: number[]) =>
			rows<{ volunteer_id: string; status: string }>(
				`select volunteer_id, status from shifts where id = any ($1) order by id`,
				[ids]
			).then((r) => r.map((s) => [Number(s.volunteer_id), s.status]));
		expect((await users.commander.rpc('swap_shifts', { p_a: a, p_b: b })).error).toBeNull();
		expect(await holders([a, b])).toEqual([
			[v10.id, 'planned'],
			[v9.id, 'planned']
		]);

		// v10 (now on a, 08-12) also takes 12-16 at 乙; swapping a with v11's 12-16 shift x would put v10
		// twice on 12-16.
		const x = await assign(users.commander, cpA, v11, '12:00', '16:00', S);
		const z = await assign(users.commander, cpB, v10, '12:00', '16:00', S);
		const before = await holders([a, b, x, z]);
		const clash = await users.commander.rpc('swap_shifts', { p_a: a, p_b: x });
		expect(clash.error!.hint).toBe('shift_conflict');
		expect(clash.error!.message).toBe(`志愿者${v10.name}在该时段已有班次：${cpB.name}，${S} 12:00–16:00`);
		expect(JSON.parse(clash.error!.details).shift_id).toBe(z);
		expect(await holders([a, b, x, z])).toEqual(before);

		const foreign = await users.shangping.rpc('swap_shifts', { p_a: a, p_b: b });
		expect(foreign.error!.hint).toBe('outside_scope');
	});
});

describe('candidates for a cell', () => {
	type Candidate = {
		volunteer_id: number;
		home_unit_code: string;
		organisation_id: number | null;
		skills: string[];
		lent: boolean;
		free: boolean;
		conflict_shift_id: number | null;
		conflict: string | null;
		distance_m: number | null;
	};
	const candidates = async (who: SupabaseClient, extra: Record<string, unknown> = {}) => {
		const { data, error } = await who.rpc('roster_candidates', {
			p_checkpoint_id: cpA.id,
			p_starts: at(DAY, '08:00'),
			p_ends: at(DAY, '12:00'),
			p_limit: 500,
			...extra
		});
		if (error) throw error;
		return data as Candidate[];
	};

	it('lists the street’s volunteers for the commander, nearest home first, with who is busy and why', async () => {
		const list = await candidates(users.commander);
		const [{ n }] = await rows<{ n: string }>(
			`select count(*) n from volunteers where home_unit_code like '${NANCHENG}%'`
		);
		expect(list.length).toBe(Math.min(Number(n), 500));
		expect(list.every((c) => c.home_unit_code.startsWith(NANCHENG))).toBe(true);
		const distances = list.map((c) => c.distance_m).filter((d): d is number => d !== null);
		expect(distances).toEqual([...distances].sort((x, y) => x - y));
		expect(list.some((c) => c.lent)).toBe(true);
		const busy = list.find((c) => c.volunteer_id === locals[0].id)!;
		expect(busy.free).toBe(false);
		expect(busy.conflict).toBe(`${cpA.name}，${DAY} 08:00–12:00`);
		expect(list.find((c) => c.volunteer_id === locals[2].id)!.free).toBe(true);

		const free = await candidates(users.commander, { p_free_only: true });
		expect(free.every((c) => c.free)).toBe(true);
		expect(free.some((c) => c.volunteer_id === locals[0].id)).toBe(false);
		const org = list.find((c) => c.organisation_id !== null)!.organisation_id;
		const byOrg = await candidates(users.commander, { p_organisation_id: org, p_skill: 'checkpoint' });
		expect(byOrg.length).toBeGreaterThan(0);
		expect(byOrg.every((c) => c.organisation_id === org && c.skills.includes('checkpoint'))).toBe(true);
		const fromShangping = await candidates(users.commander, { p_home_unit: SHANGPING });
		expect(fromShangping.every((c) => c.home_unit_code === SHANGPING && c.lent)).toBe(true);
	});

	it('lists only her community’s volunteers for the secretary', async () => {
		const list = await candidates(users.secretary);
		expect(list.length).toBeGreaterThan(0);
		expect(list.every((c) => c.home_unit_code === BAIZHAOPAI && !c.lent)).toBe(true);
	});
});

describe('hours served', () => {
	type Row = {
		group_by: string;
		id: number | null;
		name: string;
		volunteers: number;
		shifts: number;
		hours: number;
	};
	const hours = async (who: SupabaseClient, unit: string, by: string, to = '2020-03-15') => {
		const { data, error } = await who.rpc('hours_served', {
			p_unit: unit,
			p_from: '2020-01-24',
			p_to: to,
			p_by: by
		});
		return { data: data as Row[] | null, error };
	};
	const expectedHours = async (unit: string, key: string) =>
		rows<{ id: string | null; hours: string; shifts: string }>(
			`select v.${key} as id, round(sum(extract(epoch from upper(s.period) - lower(s.period)) / 3600)::numeric, 2) as hours,
				count(*) as shifts
			 from shifts s join volunteers v on v.id = s.volunteer_id
			 where s.community_code like $1 || '%' and s.status in ('planned', 'done')
				and lower(s.period) >= '2020-01-24 00:00+08' and upper(s.period) <= '2020-03-16 00:00+08'
			 group by 1`,
			[unit]
		).then(
			(r) => new Map(r.map((x) => [x.id === null ? null : Number(x.id), [Number(x.hours), Number(x.shifts)]]))
		);

	it('adds up done and past planned shifts per volunteer, team and organisation for the commander', async () => {
		for (const [by, key] of [
			['volunteer', 'id'],
			['team', 'team_id'],
			['organisation', 'organisation_id']
		]) {
			const { data, error } = await hours(users.commander, NANCHENG, by);
			expect(error).toBeNull();
			const expected = await expectedHours(NANCHENG, key);
			expect(data!.length).toBe(expected.size);
			for (const r of data!) expect([r.hours, r.shifts], `${by} ${r.id}`).toEqual(expected.get(r.id));
			expect(data!.map((r) => r.hours)).toEqual([...data!.map((r) => r.hours)].sort((x, y) => y - x));
		}
		// The police college's alliance served in 南城街道: it leads.
		const { data } = await hours(users.commander, NANCHENG, 'organisation');
		expect(data![0].name).toBe('四川警察学院志愿服务队');
	});

	it('counts a shift only once it is over, and never a cancelled or no-show one', async () => {
		const v = locals[2];
		const s = await assign(users.commander, cpA, v, '16:00', '20:00', inDays(9));
		const future = await hours(users.commander, BAIZHAOPAI, 'volunteer', inDays(13));
		const before = future.data!.find((r) => r.id === v.id)?.hours ?? 0;
		// Not over yet (days ahead): not counted. Moved into the past by hand, it counts; cancelled, it does not.
		await db.query(
			`update shifts set period = tstzrange('2020-03-20 16:00+08', '2020-03-20 20:00+08') where id = $1`,
			[s]
		);
		const past = await hours(users.commander, BAIZHAOPAI, 'volunteer', inDays(13));
		expect(past.data!.find((r) => r.id === v.id)!.hours).toBeCloseTo(before + 4, 5);
		await db.query(`update shifts set status = 'no_show' where id = $1`, [s]);
		const noShow = await hours(users.commander, BAIZHAOPAI, 'volunteer', inDays(13));
		expect(noShow.data!.find((r) => r.id === v.id)?.hours ?? 0).toBeCloseTo(before, 5);
		await db.query(`delete from shifts where id = $1`, [s]);
	});

	it('gives the leader organisations and teams, never people', async () => {
		const { data, error } = await hours(users.leader, '5105', 'organisation');
		expect(error).toBeNull();
		const expected = await expectedHours('5105', 'organisation_id');
		for (const r of data!) expect(r.hours).toBe(expected.get(r.id)![0]);
		const people = await hours(users.leader, '5105', 'volunteer');
		expect(people.error!.code).toBe('42501');
		expect(people.error!.hint).toBe('aggregates_only');
		const outside = await hours(users.leader, '510502', 'organisation');
		expect(outside.error).toBeNull();
		const xuyong = await signedIn('leader@xuyong.demo');
		expect((await hours(xuyong, NANCHENG, 'organisation')).error!.hint).toBe('outside_scope');
	});

	it('gives a volunteer their own hours only', async () => {
		const { data, error } = await hours(users.volunteer, BAIZHAOPAI, 'volunteer');
		expect(error).toBeNull();
		const [me] = await rows<{ volunteer_id: string }>(
			`select m.volunteer_id from memberships m join auth.users u on u.id = m.user_id
			 where u.email = 'volunteer@baizhaopai.demo'`
		);
		expect(data!.map((r) => r.id)).toEqual([Number(me.volunteer_id)]);
		expect((await hours(users.volunteer, BAIZHAOPAI, 'organisation')).error!.hint).toBe('not_allowed');
	});
});

describe('who sees the roster', () => {
	it('a secretary sees her community’s shifts and roster, not the street’s', async () => {
		const shifts = await users.secretary
			.from('shifts')
			.select('community_code')
			.gte('period', `[${inDays(8)},)`);
		expect(shifts.error).toBeNull();
		expect(shifts.data!.length).toBeGreaterThan(0);
		expect(shifts.data!.every((s) => s.community_code === BAIZHAOPAI)).toBe(true);
		const all = await users.secretary.from('shifts').select('id', { count: 'exact', head: true });
		const [{ n }] = await rows<{ n: string }>(`select count(*) n from shifts where community_code = $1`, [
			BAIZHAOPAI
		]);
		expect(all.count).toBe(Number(n));
		const street = await users.secretary.rpc('roster_day', { p_unit: NANCHENG, p_day: DAY });
		expect(street.error!.code).toBe('42501');
		const other = await users.shangping.rpc('roster_day', { p_unit: BAIZHAOPAI, p_day: DAY });
		expect(other.error!.hint).toBe('outside_scope');
	});

	it('a volunteer sees only their own shifts, and the checkpoints they stand at', async () => {
		const [me] = await rows<{ volunteer_id: string }>(
			`select m.volunteer_id from memberships m join auth.users u on u.id = m.user_id
			 where u.email = 'volunteer@baizhaopai.demo'`
		);
		const vid = Number(me.volunteer_id);
		// Lent to 凤凰社区 for a day: the volunteer sees that shift and its checkpoint, outside their unit.
		const lent = await assign(users.commander, fenghuangCheckpoint, { id: vid, name: '' }, '08:00', '12:00');
		const own = await users.volunteer.from('shifts').select('id, volunteer_id, checkpoints(name)');
		expect(own.error).toBeNull();
		expect(own.data!.length).toBeGreaterThan(1);
		expect(own.data!.every((s) => s.volunteer_id === vid)).toBe(true);
		const there = own.data!.find((s) => s.id === lent)!;
		expect(there.checkpoints).toEqual({ name: fenghuangCheckpoint.name });
		const denied = await users.volunteer.rpc('roster_day', { p_unit: BAIZHAOPAI, p_day: DAY });
		expect(denied.error!.hint).toBe('not_allowed');
		const candidates = await users.volunteer.rpc('roster_candidates', {
			p_checkpoint_id: cpA.id,
			p_starts: at(DAY, '08:00'),
			p_ends: at(DAY, '12:00')
		});
		expect(candidates.error!.hint).toBe('not_allowed');
	});

	it('a leader gets the gap counts without names and reads no shifts', async () => {
		const { data, error } = await users.leader.rpc('roster_day', { p_unit: NANCHENG, p_day: DAY });
		expect(error).toBeNull();
		const cells = data as { checkpoint_id: number; assigned: number; volunteers: unknown }[];
		expect(cells.find((c) => c.checkpoint_id === cpB.id)!.assigned).toBe(3);
		expect(cells.every((c) => c.volunteers === null)).toBe(true);
		const shifts = await users.leader.from('shifts').select('id').limit(1);
		expect(shifts.data).toEqual([]);
		const candidates = await users.leader.rpc('roster_candidates', {
			p_checkpoint_id: cpA.id,
			p_starts: at(DAY, '08:00'),
			p_ends: at(DAY, '12:00')
		});
		expect(candidates.error!.hint).toBe('not_allowed');
	});

	it('nothing of the roster answers anonymous callers', async () => {
		const anon = createClient(stack().url, stack().anonKey, { auth: { persistSession: false } });
		for (const [fn, args] of [
			['roster_day', { p_unit: NANCHENG, p_day: DAY }],
			['hours_served', { p_unit: '5105' }],
			[
				'assign_shift',
				{
					p_checkpoint_id: cpA.id,
					p_volunteer_id: locals[0].id,
					p_starts: at(DAY, '08:00'),
					p_ends: at(DAY, '09:00')
				}
			]
		] as const) {
			const { data, error } = await anon.rpc(fn, args);
			expect(data, fn).toBeNull();
			expect(error, fn).not.toBeNull();
		}
	});
});
