/**
 * Realtime on the embedded stack (issue #17; scripts/embedded/realtime.ts, migration 20261208000200_realtime):
 * supabase-js channels over `ws`, as each demo role. Which `unit:<code>` topics each role may join (checklist
 * 31), what a screening recorded through the API sends to whom (the grid's, community's, street's, district's
 * and city's subscribers, nobody else, no personal field), bad and expired tokens refused as hosted Realtime
 * refuses them, a token refreshed with `realtime.setAuth`, a burst coalesced by the throttle, and the client
 * reconnecting after a stack restart (a second stack of its own, started like global-setup does).
 *
 * Screenings written here carry the note 实时测试 and are deleted after; the throttle's rows are cleared
 * between tests so each starts with an open window.
 */
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { spawnStack, stopChild, waitForReady } from '../../scripts/embedded/child';
import { signJwt } from '../../scripts/embedded/jwt';
import { portEnv } from '../../scripts/embedded/keys';
import { freePort } from '../../scripts/pg15';
import { DEMO, DEMO_PASSWORD } from './clients';
import { stack } from './stack-env';

const NOTE = '实时测试';
const BAIZHAOPAI = '510502001006';
const SECRETARY_ID = '00000000-0000-4000-8000-000000000001';
const SHANGPING_SECRETARY_ID = '00000000-0000-4000-8000-000000000005';

let db: pg.Client;
const open: SupabaseClient[] = [];

function rtClient(
	url = stack().url,
	anonKey = stack().anonKey,
	reconnectAfterMs?: () => number
): SupabaseClient {
	const c = createClient(url, anonKey, {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: WebSocket as never, ...(reconnectAfterMs ? { reconnectAfterMs } : {}) }
	});
	open.push(c);
	return c;
}

async function signedInRt(email: string): Promise<SupabaseClient> {
	const c = rtClient();
	const { error } = await c.auth.signInWithPassword({ email, password: DEMO_PASSWORD });
	if (error) throw error;
	return c;
}

/** A client whose realtime token is `token` (set as supabase-js does after sign-in). */
async function withToken(token: string): Promise<SupabaseClient> {
	const c = rtClient();
	await c.realtime.setAuth(token);
	return c;
}

interface Joined {
	channel: RealtimeChannel;
	status: string;
	error?: string;
	messages: { event: string; payload: Record<string, unknown> }[];
	system: { status: string; message: string }[];
	/** Statuses after the first (CLOSED when the server ends the channel). */
	later: string[];
}

/** Joins `topic` (private unless said otherwise) and resolves with the first status the join reaches. */
function joinTopic(c: SupabaseClient, topic: string, isPrivate = true): Promise<Joined> {
	const channel = c.channel(topic, { config: { private: isPrivate } });
	const joined: Joined = { channel, status: '', messages: [], system: [], later: [] };
	channel.on('broadcast', { event: '*' }, (m) =>
		joined.messages.push({ event: m.event, payload: m.payload as Record<string, unknown> })
	);
	channel.on('system', {}, (m) => joined.system.push(m as { status: string; message: string }));
	return new Promise((resolve) => {
		channel.subscribe((status, err) => {
			if (joined.status) return void joined.later.push(status);
			joined.status = status;
			joined.error = err?.message;
			if (status !== 'SUBSCRIBED') void c.removeChannel(channel); // a refused join would retry forever
			resolve(joined);
		});
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms = 5000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!check()) {
		if (Date.now() > deadline) throw new Error('timed out waiting');
		await sleep(20);
	}
}

async function token(sub: string, expInSeconds: number, secret = stack().jwtSecret): Promise<string> {
	const now = Math.floor(Date.now() / 1000);
	return signJwt(
		{ sub, role: 'authenticated', aud: 'authenticated', iat: now, exp: now + expInSeconds },
		secret
	);
}

async function openWindow(): Promise<void> {
	await db.query('delete from private.realtime_sent');
}

async function household(community: string): Promise<{ id: number; grid: string }> {
	const { rows } = await db.query(
		`select id, grid_code from households where community_code = $1 order by id limit 1`,
		[community]
	);
	return { id: Number(rows[0].id), grid: rows[0].grid_code };
}

function submission(householdId: number) {
	return {
		p_idempotency_key: randomUUID(),
		p_household_id: householdId,
		p_round_id: 2,
		p_method: 'door',
		p_outcome: 'flagged',
		p_flags: ['fever'],
		p_note: NOTE,
		p_screened_at: new Date().toISOString()
	};
}

beforeAll(async () => {
	db = new pg.Client({ connectionString: stack().pgUrl });
	await db.connect();
});

afterAll(async () => {
	for (const c of open) await c.removeAllChannels().catch(() => {});
	await db?.query(`delete from screenings where note = $1`, [NOTE]);
	await db?.end();
});

describe('joining unit topics (checklist 31)', () => {
	const cases: [keyof typeof DEMO, string[], string[]][] = [
		[
			'secretary',
			['unit:510502001006', 'unit:510502001006001'],
			['unit:510502001', 'unit:5105', 'unit:510502001001']
		],
		['volunteer', ['unit:510502001006', 'unit:510502001006001'], ['unit:510502001', 'unit:510502001001']],
		['commander', ['unit:510502001', 'unit:510502001006'], ['unit:510502', 'unit:510502002', 'unit:5105']],
		['beicheng', ['unit:510502002'], ['unit:510502001', 'unit:510502001006']],
		['leader', ['unit:5105', 'unit:510502', 'unit:510524', 'unit:510502001006001'], ['unit:51', 'unit:5106']],
		['xuyong', ['unit:510524'], ['unit:5105', 'unit:510502', 'unit:510502001006']]
	];
	for (const [role, allowed, refused] of cases) {
		it(`${role}: joins ${allowed.join(', ')}; is refused ${refused.join(', ')}`, async () => {
			const c = await signedInRt(DEMO[role]);
			for (const topic of allowed) expect((await joinTopic(c, topic)).status, topic).toBe('SUBSCRIBED');
			for (const topic of refused) {
				const j = await joinTopic(c, topic);
				expect(j.status, topic).toBe('CHANNEL_ERROR');
				expect(j.error).toBe(
					`Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`
				);
			}
			await c.removeAllChannels();
		});
	}

	it('refuses topics that are not units, and anonymous callers', async () => {
		const c = await signedInRt(DEMO.leader);
		for (const topic of ['unit:5105%', 'unit:', 'units:5105', 'unit:5105 ', 'coverage'])
			expect((await joinTopic(c, topic)).status, topic).toBe('CHANNEL_ERROR');
		const anon = rtClient();
		expect((await joinTopic(anon, 'unit:5105')).error).toBe(
			'Unauthorized: You do not have permissions to read from this Channel topic: unit:5105'
		);
	});
});

describe('a screening recorded through the API', () => {
	it('reaches the grid’s, community’s, street’s, district’s and city’s subscribers, nobody else, with no personal field', async () => {
		await openWindow();
		const h = await household(BAIZHAOPAI);
		const secretary = await signedInRt(DEMO.secretary);
		const commander = await signedInRt(DEMO.commander);
		const leader = await signedInRt(DEMO.leader);
		const shangping = await signedInRt(DEMO.shangping);
		const beicheng = await signedInRt(DEMO.beicheng);
		const xuyong = await signedInRt(DEMO.xuyong);
		const receivers = {
			grid: await joinTopic(secretary, `unit:${h.grid}`),
			community: await joinTopic(secretary, `unit:${BAIZHAOPAI}`),
			street: await joinTopic(commander, 'unit:510502001'),
			district: await joinTopic(leader, 'unit:510502'),
			city: await joinTopic(leader, 'unit:5105')
		};
		const others = {
			otherCommunity: await joinTopic(shangping, 'unit:510502001001'),
			otherStreet: await joinTopic(beicheng, 'unit:510502002'),
			otherDistrict: await joinTopic(xuyong, 'unit:510524'),
			// A public channel of the same name: client broadcast only, nothing from the database.
			publicCity: await joinTopic(await signedInRt(DEMO.leader), 'unit:5105', false)
		};
		for (const j of [...Object.values(receivers), ...Object.values(others)])
			expect(j.status).toBe('SUBSCRIBED');

		const { error } = await secretary.rpc('record_screening', submission(h.id));
		expect(error).toBeNull();
		await until(() => Object.values(receivers).every((j) => j.messages.length > 0));
		await sleep(300); // time for a stray message to arrive where none should
		const today = (await db.query(`select private.today()::text d`)).rows[0].d;
		for (const [name, j] of Object.entries(receivers)) {
			expect(j.messages.length, name).toBe(1);
			const [{ event, payload }] = j.messages;
			expect(event).toBe('coverage');
			const unit = j.channel.topic.replace('realtime:unit:', '');
			// Codes, ids, days and counts only: nothing of the household, the screening's outcome or its flags.
			expect(Object.keys(payload).sort()).toEqual(
				['code', 'count', 'first_day', 'id', 'last_day', 'unit', 'window_ms'].sort()
			);
			expect(payload).toMatchObject({
				unit,
				count: 1,
				code: h.grid,
				first_day: today,
				last_day: today,
				window_ms: 1000
			});
			expect(JSON.stringify(payload)).not.toMatch(/fever|flagged|实时测试|社区|name|phone/);
			expect(payload.id).toBeNull(); // screenings name no row; the message's own id is in its meta
		}
		for (const [name, j] of Object.entries(others)) expect(j.messages, name).toEqual([]);
	});

	it('coalesces a burst: one message per topic and window, and a refetch W after it sees every screening', async () => {
		await openWindow();
		const h = await household(BAIZHAOPAI);
		const leader = await signedInRt(DEMO.leader);
		const secretary = await signedInRt(DEMO.secretary);
		const city = await joinTopic(leader, 'unit:5105');
		const before = Number(
			(await db.query(`select count(*) n from screenings where note = $1`, [NOTE])).rows[0].n
		);
		const started = Date.now();
		const burst = 30;
		await Promise.all(
			Array.from({ length: burst }, () => secretary.rpc('record_screening', submission(h.id)))
		);
		const elapsed = Date.now() - started;
		await until(() => city.messages.length > 0);
		await sleep(1100); // the client's refetch, W (window_ms) after the message
		const after = Number(
			(await db.query(`select count(*) n from screenings where note = $1`, [NOTE])).rows[0].n
		);
		expect(after - before).toBe(burst);
		// At most one message per started window of W = 1 s.
		expect(city.messages.length).toBeGreaterThanOrEqual(1);
		expect(city.messages.length).toBeLessThanOrEqual(1 + Math.floor(elapsed / 1000));
		expect(city.messages.length).toBeLessThan(burst);

		// Inside the window nothing is sent; after it, the next change is.
		await openWindow();
		const n0 = city.messages.length;
		await secretary.rpc('record_screening', submission(h.id));
		await until(() => city.messages.length === n0 + 1);
		await secretary.rpc('record_screening', submission(h.id));
		await sleep(400);
		expect(city.messages.length).toBe(n0 + 1);
		await sleep(700);
		await secretary.rpc('record_screening', submission(h.id));
		await until(() => city.messages.length === n0 + 2);
	});

	it('sends claims to the building’s units when a claim is taken and released', async () => {
		await openWindow();
		const secretary = await signedInRt(DEMO.secretary);
		const community = await joinTopic(secretary, `unit:${BAIZHAOPAI}`);
		const { rows } = await db.query(
			`select b.id from buildings b where b.community_code = $1 and not exists (
				select 1 from building_claims c where c.building_id = b.id and c.released_at is null and c.expires_at > now())
			order by b.id limit 1`,
			[BAIZHAOPAI]
		);
		const building = Number(rows[0].id);
		const claim = await secretary.rpc('claim_building', { p_building_id: building });
		expect(claim.error).toBeNull();
		await until(() => community.messages.some((m) => m.event === 'claims'));
		expect(community.messages.find((m) => m.event === 'claims')!.payload).toMatchObject({
			unit: BAIZHAOPAI,
			id: building
		});
		await db.query(`delete from building_claims where building_id = $1`, [building]);
	});
});

describe('tokens', () => {
	it('refuses bad, malformed, incomplete and expired tokens as hosted Realtime does', async () => {
		const expired = await token(SECRETARY_ID, -30);
		const j1 = await joinTopic(await withToken(expired), `unit:${BAIZHAOPAI}`);
		expect(j1.error).toMatch(/^InvalidJWTToken: Token has expired (29|30|31) seconds ago$/);

		const forged = await token(SECRETARY_ID, 3600, 'another-secret-that-is-at-least-32-characters');
		expect((await joinTopic(await withToken(forged), `unit:${BAIZHAOPAI}`)).error).toBe(
			'JwtSignatureError: Failed to validate JWT signature'
		);
		expect((await joinTopic(await withToken('not-a-jwt'), `unit:${BAIZHAOPAI}`)).error).toBe(
			'MalformedJWT: The token provided is not a valid JWT'
		);
		const noExp = await signJwt({ sub: SECRETARY_ID, role: 'authenticated' }, stack().jwtSecret);
		expect((await joinTopic(await withToken(noExp), `unit:${BAIZHAOPAI}`)).error).toBe(
			'InvalidJWTToken: Fields `role` and `exp` are required in JWT'
		);
		// A public channel needs a valid token too.
		expect((await joinTopic(await withToken(expired), 'room', false)).status).toBe('CHANNEL_ERROR');
	});

	it('refuses the token of a signed-out session, as /rest/v1 does', async () => {
		const c = await signedInRt(DEMO.secretary);
		const { data } = await c.auth.getSession();
		const kept = data.session!.access_token;
		expect((await joinTopic(await withToken(kept), `unit:${BAIZHAOPAI}`)).status).toBe('SUBSCRIBED');
		await c.auth.signOut({ scope: 'local' });
		const j = await joinTopic(await withToken(kept), `unit:${BAIZHAOPAI}`);
		expect(j.error).toBe(
			`Unauthorized: You do not have permissions to read from this Channel topic: unit:${BAIZHAOPAI}`
		);
	});

	it('ends an open channel when its token expires', async () => {
		const c = await withToken(await token(SECRETARY_ID, 2));
		const j = await joinTopic(c, `unit:${BAIZHAOPAI}`);
		expect(j.status).toBe('SUBSCRIBED');
		await until(() => j.later.includes('CLOSED'), 6000);
		expect(j.system).toContainEqual(
			expect.objectContaining({
				status: 'error',
				message: expect.stringMatching(/^Token has expired \d seconds ago$/)
			})
		);
	});

	it('keeps a channel whose token is refreshed with setAuth, and ends one refreshed into another scope', async () => {
		await openWindow();
		const c = await withToken(await token(SECRETARY_ID, 3));
		const j = await joinTopic(c, `unit:${BAIZHAOPAI}`);
		expect(j.status).toBe('SUBSCRIBED');
		await c.realtime.setAuth(await token(SECRETARY_ID, 3600));
		await sleep(3500); // past the first token's expiry
		expect(j.later).toEqual([]);
		const h = await household(BAIZHAOPAI);
		const secretary = await signedInRt(DEMO.secretary);
		await secretary.rpc('record_screening', submission(h.id));
		await until(() => j.messages.length > 0);

		// The same channel, now carrying the token of 上平社区's secretary: not allowed to read 白招牌社区.
		await c.realtime.setAuth(await token(SHANGPING_SECRETARY_ID, 3600));
		await until(() => j.later.includes('CLOSED'));
		expect(j.system).toContainEqual(
			expect.objectContaining({
				status: 'error',
				message: `You do not have permissions to read from this Channel topic: unit:${BAIZHAOPAI}`
			})
		);
	});
});

describe('client broadcast', () => {
	it('relays between members of a public channel (self only when asked), and is refused on unit topics', async () => {
		const a = await signedInRt(DEMO.secretary);
		const b = await signedInRt(DEMO.volunteer);
		const ja = await joinTopic(a, 'room-realtime-test', false);
		const jb = await joinTopic(b, 'room-realtime-test', false);
		expect(await ja.channel.send({ type: 'broadcast', event: 'hello', payload: { n: 1 } })).toBe('ok');
		await until(() => jb.messages.length === 1);
		expect(jb.messages[0]).toEqual({ event: 'hello', payload: { n: 1 } });
		expect(ja.messages).toEqual([]);

		const acked = a.channel(`unit:${BAIZHAOPAI}`, { config: { private: true, broadcast: { ack: true } } });
		await new Promise<void>((resolve) => acked.subscribe((s) => s === 'SUBSCRIBED' && resolve()));
		expect(await acked.send({ type: 'broadcast', event: 'coverage', payload: { fake: true } })).toBe('error');
	});
});

describe('the wire, without realtime-js', () => {
	/** A raw WebSocket client: frames in, frames out. */
	async function raw(query: string): Promise<{ ws: WebSocket; frames: unknown[] }> {
		const ws = new WebSocket(`${stack().url.replace('http', 'ws')}/realtime/v1/websocket?${query}`);
		const frames: unknown[] = [];
		ws.on('message', (data, isBinary) => frames.push(isBinary ? data : JSON.parse(String(data))));
		await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
		return { ws, frames };
	}

	it('needs a project key to connect, as Kong does', async () => {
		const status = await new Promise<number>((resolve) => {
			const ws = new WebSocket(`${stack().url.replace('http', 'ws')}/realtime/v1/websocket?vsn=1.0.0`);
			ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
			ws.on('open', () => resolve(101));
		});
		expect(status).toBe(401);
	});

	it('speaks vsn 1.0.0: heartbeat, join, a database broadcast with its id, unmatched topics, leave', async () => {
		const { ws, frames } = await raw(`apikey=${stack().anonKey}&vsn=1.0.0`);
		try {
			ws.send(JSON.stringify({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: '1' }));
			await until(() => frames.length === 1);
			expect(frames[0]).toEqual({
				topic: 'phoenix',
				event: 'phx_reply',
				payload: { status: 'ok', response: {} },
				ref: '1',
				join_ref: null
			});
			const leaderToken = await token('00000000-0000-4000-8000-000000000003', 3600);
			ws.send(
				JSON.stringify({
					topic: 'realtime:unit:5105',
					event: 'phx_join',
					payload: { config: { private: true }, access_token: leaderToken },
					ref: '2',
					join_ref: '2'
				})
			);
			await until(() => frames.length === 2);
			expect(frames[1]).toMatchObject({ event: 'phx_reply', payload: { status: 'ok' }, ref: '2' });
			await db.query(`select realtime.send('{"n": 1}'::jsonb, 'coverage', 'unit:5105', true)`);
			await db.query(`select realtime.send('{"n": 2}'::jsonb, 'coverage', 'unit:5105', false)`); // public: not here
			await until(() => frames.length === 3);
			expect(frames[2]).toMatchObject({
				topic: 'realtime:unit:5105',
				event: 'broadcast',
				payload: {
					type: 'broadcast',
					event: 'coverage',
					payload: { n: 1 },
					meta: { id: expect.any(String) }
				},
				ref: null
			});
			ws.send(JSON.stringify({ topic: 'realtime:other', event: 'broadcast', payload: {}, ref: '3' }));
			await until(() => frames.length === 4);
			expect(frames[3]).toMatchObject({
				payload: { status: 'error', response: { reason: 'unmatched topic' } }
			});
			ws.send(
				JSON.stringify({
					topic: 'realtime:unit:5105',
					event: 'phx_leave',
					payload: {},
					ref: '4',
					join_ref: '2'
				})
			);
			await until(() => frames.length === 5);
			expect(frames[4]).toMatchObject({ event: 'phx_reply', payload: { status: 'ok' }, ref: '4' });
			await db.query(`select realtime.send('{"n": 3}'::jsonb, 'coverage', 'unit:5105', true)`);
			await sleep(300);
			expect(frames).toHaveLength(5);
		} finally {
			ws.close();
		}
	});
});

describe('a stack restart', () => {
	it('is survived: the client reconnects, rejoins and receives again', async () => {
		// A folder of its own (bootstrap and migrations, no seed); kept beside DB_TEST_DATA_DIR when that is set,
		// so later runs skip its first start.
		const kept = process.env.DB_TEST_DATA_DIR ? `${process.env.DB_TEST_DATA_DIR}-restart` : undefined;
		const dir = kept ?? mkdtempSync(join(tmpdir(), 'rt-restart-'));
		const ports = { apiPort: await freePort(), pgPort: await freePort(), postgrestPort: await freePort() };
		const env = { ...process.env, ...portEnv(ports), EMBEDDED_DATA_DIR: join(dir, 'pglite') };
		let child = spawnStack(env, ['--no-seed']);
		try {
			const url = await waitForReady(child, { timeoutMs: 120_000 });
			// Retrying every 200 ms instead of realtime-js's 1, 2, 5, 10 s only makes the test quicker.
			const c = rtClient(url, stack().anonKey, () => 200);
			await c.realtime.setAuth(stack().serviceRoleKey); // service_role reads every topic, as on hosted
			const j = await joinTopic(c, 'unit:5105');
			expect(j.status).toBe('SUBSCRIBED');
			const send = async (n: number) => {
				const client = new pg.Client({
					connectionString: `postgres://postgres:postgres@127.0.0.1:${ports.pgPort}/postgres`
				});
				await client.connect();
				await client.query(`select realtime.send($1::jsonb, 'coverage', 'unit:5105', true)`, [
					JSON.stringify({ n })
				]);
				await client.end();
			};
			await send(1);
			await until(() => j.messages.length === 1);

			await stopChild(child);
			await until(() => !c.realtime.isConnected());
			child = spawnStack(env, ['--no-seed']);
			await waitForReady(child, { timeoutMs: 120_000 });
			// realtime-js reconnects and rejoins its channels by itself.
			await until(() => c.realtime.isConnected() && j.channel.state === 'joined', 30_000);
			await send(2);
			await until(() => j.messages.length === 2);
			expect(j.messages.map((m) => m.payload.n)).toEqual([1, 2]);
			await c.removeAllChannels();
		} finally {
			await stopChild(child);
			if (!kept) rmSync(dir, { recursive: true, force: true });
		}
	});
});
