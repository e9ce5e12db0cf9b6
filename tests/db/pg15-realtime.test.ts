/**
 * The live-update migration (20261208000200_realtime) on a real PostgreSQL 15 server, whose `realtime` schema
 * comes from bootstrap.sql as on the embedded stack: one message per topic for a unit and every unit above it,
 * the throttle's window, and — what needs real concurrent sessions — two writers at a window's edge send
 * exactly one message: racing to create a topic's row, the second waits and finds it made; racing for an
 * existing row, the second never waits (SKIP LOCKED) and leaves the sending to the first.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPg15, type Pg15 } from '../../scripts/pg15';

const GRID = '510502001006001';
const TOPICS = ['unit:510502001006001', 'unit:510502001006', 'unit:510502001', 'unit:510502', 'unit:5105'];

let server: Pg15;
let admin: pg.Client;

const publish = (c: pg.ClientBase, code = GRID) =>
	c.query(`select private.realtime_publish('coverage', $1::jsonb)`, [
		JSON.stringify([
			{ code, day: '2026-12-07' },
			{ code, day: '2026-12-08' }
		])
	]);

async function messages(): Promise<{ topic: string; payload: Record<string, unknown>; private: boolean }[]> {
	return (await admin.query(`select topic, payload, private from realtime.messages order by topic`)).rows;
}

async function reset(): Promise<void> {
	await admin.query('delete from realtime.messages; delete from private.realtime_sent');
}

beforeAll(async () => {
	server = await startPg15();
	admin = new pg.Client({ connectionString: server.url });
	await admin.connect();
});

afterAll(async () => {
	await admin?.end();
	await server?.stop();
});

describe('realtime on PostgreSQL 15', () => {
	it('sends one private message per topic, to the unit and every unit above it, with codes, days and counts', async () => {
		await reset();
		await publish(admin);
		const sent = await messages();
		expect(sent.map((m) => m.topic).sort()).toEqual([...TOPICS].sort());
		for (const m of sent) {
			expect(m.private).toBe(true);
			expect(m.payload).toEqual({
				unit: m.topic.slice('unit:'.length),
				count: 2,
				first_day: '2026-12-07',
				last_day: '2026-12-08',
				code: GRID,
				id: null,
				window_ms: 1000
			});
		}
	});

	it('sends nothing more inside the window, and again after it', async () => {
		await reset();
		await publish(admin);
		await publish(admin);
		expect(await messages()).toHaveLength(5);
		await admin.query(`update private.realtime_sent set sent_at = sent_at - interval '1 second'`);
		await publish(admin);
		expect(await messages()).toHaveLength(10);
	});

	it('sends once when two transactions publish at the same time', async () => {
		await reset();
		const a = new pg.Client({ connectionString: server.url });
		const b = new pg.Client({ connectionString: server.url });
		await a.connect();
		await b.connect();
		try {
			await a.query('begin');
			await b.query('begin');
			await publish(a); // holds the new throttle rows until it commits
			const second = publish(b); // waits on those rows
			await new Promise((r) => setTimeout(r, 200));
			await a.query('commit');
			await second;
			await b.query('commit');
		} finally {
			await a.end();
			await b.end();
		}
		const sent = await messages();
		expect(sent.map((m) => m.topic).sort()).toEqual([...TOPICS].sort());
	});

	it('sends once, and never makes the second writer wait, when two transactions publish at a window’s edge', async () => {
		await reset();
		await publish(admin);
		await admin.query(`update private.realtime_sent set sent_at = sent_at - interval '2 seconds'`);
		await admin.query('delete from realtime.messages');
		const a = new pg.Client({ connectionString: server.url });
		const b = new pg.Client({ connectionString: server.url });
		await a.connect();
		await b.connect();
		try {
			await a.query('begin');
			await b.query('begin');
			await publish(a); // takes the throttle rows, holds them until it commits
			// b finds them held: it leaves the sending to a at once instead of waiting on a's locks (which, with
			// other locks of b's transaction that a might want, could deadlock).
			await b.query(`set local lock_timeout = '1s'`);
			await publish(b);
			await b.query('commit');
			await a.query('commit');
		} finally {
			await a.end();
			await b.end();
		}
		const sent = await messages();
		expect(sent.map((m) => m.topic).sort()).toEqual([...TOPICS].sort());
	});

	it('sends nothing for a session that turned live updates off (bulk loads)', async () => {
		await reset();
		await admin.query('begin');
		await admin.query(`select set_config('wanggetong.realtime', 'off', true)`);
		await publish(admin);
		await admin.query('commit');
		expect(await messages()).toEqual([]);
	});

	it('lets nobody but the triggers publish', async () => {
		const { rows } = await admin.query(
			`select has_function_privilege('authenticated', 'private.realtime_publish(text, jsonb)', 'EXECUTE') a,
				has_function_privilege('anon', 'private.realtime_publish(text, jsonb)', 'EXECUTE') b,
				has_table_privilege('authenticated', 'private.realtime_sent', 'SELECT') c`
		);
		expect(rows[0]).toEqual({ a: false, b: false, c: false });
	});
});
