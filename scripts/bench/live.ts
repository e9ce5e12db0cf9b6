/**
 * `npm run bench:live`: live updates on the embedded stack (issue #17). Subscribers across units and roles, each
 * a supabase-js client of its own (its own WebSocket) on a private `unit:<code>` channel its role may join;
 * screenings recorded through the API (record_screening, as the secretaries of 白招牌社区 and 上平社区) at a fixed
 * rate, open-loop. Prints `name: value` lines:
 *
 *   p50_ms, p95_ms, max_ms   from a screening's acknowledgement (the RPC's answer) to a subscriber's message
 *                            that it caused (negative: the message came before the answer)
 *   out_of_scope             messages a subscriber got for a unit outside its role's scope (must be 0)
 *   msgs_per_sub_per_s       messages per subscriber per second (the throttle's doing: at most one per topic,
 *                            event and second)
 *   screenings_per_s, screening_errors, subscribers, messages
 *
 * A message names the grid of the screening that opened its window (`code`); it is matched to the screening of
 * that grid answered closest to it. Screenings rotate over the grids of the two communities, so a grid comes
 * round again only after many others.
 *
 *   npm run bench:live                          # 50 subscribers, 100 screenings/s for 30 s
 *   npm run bench:live -- --rate=50 --seconds=10 --subscribers=20
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { DEFAULT_ANON_KEY } from '../embedded/keys';
import { flags, startBenchStack } from './common';

const args = flags();
const RATE = Number(args.get('rate') ?? 100);
const SECONDS = Number(args.get('seconds') ?? 30);
const SUBSCRIBERS = Number(args.get('subscribers') ?? 50);
const PASSWORD = 'wanggetong-2020';

const BAIZHAOPAI = '510502001006';
const SHANGPING = '510502001001';

/** Demo accounts and the unit their role's scope is (scripts/seed/demo.sql). */
const ACCOUNTS = {
	leader: { email: 'leader@luzhou.demo', scope: '5105' },
	xuyong: { email: 'leader@xuyong.demo', scope: '510524' },
	commander: { email: 'commander@nancheng.demo', scope: '510502001' },
	beicheng: { email: 'commander@beicheng.demo', scope: '510502002' },
	secretary: { email: 'secretary@baizhaopai.demo', scope: BAIZHAOPAI },
	shangping: { email: 'secretary@shangping.demo', scope: SHANGPING },
	volunteer: { email: 'volunteer@baizhaopai.demo', scope: BAIZHAOPAI }
} as const;
type Account = keyof typeof ACCOUNTS;

function percentile(sorted: number[], p: number): number {
	if (!sorted.length) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function signIn(url: string, account: Account): Promise<SupabaseClient> {
	const c = createClient(url, DEFAULT_ANON_KEY, {
		auth: { persistSession: false, autoRefreshToken: false },
		realtime: { transport: WebSocket as never }
	});
	const { error } = await c.auth.signInWithPassword({ email: ACCOUNTS[account].email, password: PASSWORD });
	if (error) throw error;
	return c;
}

async function main(): Promise<void> {
	const stack = await startBenchStack('demo');
	const db = new pg.Client({ connectionString: stack.pgUrl });
	await db.connect();
	const clients: SupabaseClient[] = [];
	try {
		const grids = async (community: string) =>
			(await db.query(`select code from units where parent_code = $1 order by code`, [community])).rows.map(
				(r) => r.code as string
			);
		const [bzpGrids, spGrids] = [await grids(BAIZHAOPAI), await grids(SHANGPING)];

		// Who listens where: every role, units from the city down to grids, some outside the writes' units.
		const plan: [Account, string][] = [];
		const add = (account: Account, units: string[], n: number) => {
			for (let i = 0; i < n; i++) plan.push([account, units[i % units.length]]);
		};
		add('leader', ['5105', '510502', '510502001', '510524'], 11);
		add('xuyong', ['510524'], 2);
		add('commander', ['510502001', BAIZHAOPAI, SHANGPING], 10);
		add('beicheng', ['510502002'], 3);
		add('secretary', [BAIZHAOPAI, ...bzpGrids], 12);
		add('shangping', [SHANGPING, ...spGrids], 6);
		add('volunteer', [BAIZHAOPAI, ...bzpGrids.slice(2)], 6);
		const subscribers = plan.slice(0, SUBSCRIBERS);

		type Received = { at: number; unit: string; code: string | null; sub: number };
		const received: Received[] = [];
		let outOfScope = 0;
		await Promise.all(
			subscribers.map(async ([account, unit], i) => {
				const c = await signIn(stack.url, account);
				clients.push(c);
				await new Promise<void>((resolve, reject) => {
					c.channel(`unit:${unit}`, { config: { private: true } })
						.on('broadcast', { event: 'coverage' }, (m) => {
							const p = m.payload as { unit?: string; code?: string | null };
							const scope = ACCOUNTS[account].scope;
							if (
								p.unit !== unit ||
								!String(p.unit).startsWith(scope) ||
								!String(p.code ?? scope).startsWith(scope)
							)
								outOfScope++;
							received.push({ at: performance.now(), unit, code: p.code ?? null, sub: i });
						})
						.subscribe((status, err) => {
							if (status === 'SUBSCRIBED') resolve();
							else if (status !== 'CLOSED')
								reject(new Error(`${account} unit:${unit}: ${status} ${err?.message ?? ''}`));
						});
				});
			})
		);

		// Writers: each community's secretary, over its households in turn.
		const households = async (community: string) =>
			(
				await db.query(
					`select id, grid_code from households where community_code = $1 order by grid_code, id`,
					[community]
				)
			).rows.map((r) => ({ id: Number(r.id), grid: r.grid_code as string }));
		// Interleave grids so the same grid comes round as seldom as possible.
		const interleave = (rows: { id: number; grid: string }[]) => {
			const byGrid = new Map<string, { id: number; grid: string }[]>();
			for (const r of rows) byGrid.set(r.grid, [...(byGrid.get(r.grid) ?? []), r]);
			const lists = [...byGrid.values()];
			const out: { id: number; grid: string }[] = [];
			for (let i = 0; out.length < rows.length; i++) for (const l of lists) if (l[i]) out.push(l[i]);
			return out;
		};
		const writers = [
			{ client: await signIn(stack.url, 'secretary'), rows: interleave(await households(BAIZHAOPAI)) },
			{ client: await signIn(stack.url, 'shangping'), rows: interleave(await households(SHANGPING)) }
		];
		clients.push(...writers.map((w) => w.client));

		const sent: { grid: string; sentAt: number; ackAt: number | null }[] = [];
		let errors = 0;
		const total = RATE * SECONDS;
		const start = performance.now();
		const inFlight: Promise<void>[] = [];
		for (let n = 0; n < total; n++) {
			const due = start + (n * 1000) / RATE;
			const wait = due - performance.now();
			if (wait > 0) await new Promise((r) => setTimeout(r, wait));
			const w = writers[n % writers.length];
			const row = w.rows[Math.floor(n / writers.length) % w.rows.length];
			const entry = { grid: row.grid, sentAt: performance.now(), ackAt: null as number | null };
			sent.push(entry);
			inFlight.push(
				(async () => {
					const { error } = await w.client.rpc('record_screening', {
						p_idempotency_key: randomUUID(),
						p_household_id: row.id,
						p_round_id: null,
						p_method: 'phone',
						p_outcome: 'normal',
						p_flags: [],
						p_note: 'bench:live',
						p_screened_at: new Date().toISOString()
					});
					if (error) errors++;
					else entry.ackAt = performance.now();
				})()
			);
		}
		await Promise.all(inFlight);
		const writeSeconds = (performance.now() - start) / 1000;
		await new Promise((r) => setTimeout(r, 1500)); // the last messages

		// The message's screening committed just before it was sent and is answered just after: of the screenings
		// of the grid the message names, the one answered closest to it (a grid comes round only every few
		// hundred milliseconds). Requests are sent open-loop, so the time a request left says nothing here.
		const latencies: number[] = [];
		const acksByGrid = new Map<string, number[]>();
		for (const s of sent)
			if (s.ackAt !== null) acksByGrid.set(s.grid, [...(acksByGrid.get(s.grid) ?? []), s.ackAt]);
		for (const m of received) {
			const acks = m.code ? acksByGrid.get(m.code) : undefined;
			if (!acks) continue;
			let best = acks[0];
			for (const a of acks) if (Math.abs(m.at - a) < Math.abs(m.at - best)) best = a;
			latencies.push(m.at - best);
		}
		latencies.sort((a, b) => a - b);
		const round = (x: number) => Math.round(x * 10) / 10;
		const lines: [string, number | string][] = [
			['subscribers', subscribers.length],
			['screenings', total],
			['screenings_per_s', round(total / writeSeconds)],
			['screening_errors', errors],
			['messages', received.length],
			['msgs_per_sub_per_s', round(received.length / subscribers.length / writeSeconds)],
			['p50_ms', round(percentile(latencies, 50))],
			['p95_ms', round(percentile(latencies, 95))],
			['max_ms', round(latencies[latencies.length - 1] ?? NaN)],
			['out_of_scope', outOfScope]
		];
		for (const [k, v] of lines) console.log(`${k}: ${v}`);
		await db.query(`delete from screenings where note = 'bench:live'`);
	} finally {
		for (const c of clients) await c.removeAllChannels().catch(() => {});
		await db.end();
		await stack.stop();
	}
}

main().then(
	() => process.exit(0),
	(err) => {
		console.error(err);
		process.exit(1);
	}
);
