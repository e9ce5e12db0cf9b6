/**
 * Issue #20 in the database: the panel's "not re-screened" split into households reached once but not lately
 * and households never reached (migration 20261207000300), each held to a count over the records; and
 * unit_exists, which lets a screen tell "no such unit" from "not your unit" (…0100_hierarchy.sql).
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
	for (const k of ['secretary', 'commander', 'xuyong'] as const) users[k] = await signedIn(DEMO[k]);
});

afterAll(async () => {
	await db?.end();
});

/** Households of a unit by what their effective screenings (any round) were as of a day. */
async function fromRecords(unit: string, asOf: string, days: number) {
	const until = `(('${asOf}'::date + 1)::timestamp at time zone 'Asia/Shanghai')`;
	const { rows } = await db.query(
		`with last as (
			select h.id, (select max(s.screened_at) from screenings s where s.household_id = h.id
				and s.outcome <> 'unreachable' and s.screened_at < ${until}) as at
			from households h where h.grid_code like $1 || '%'
		)
		select count(*)::int as households,
			count(*) filter (where at is null)::int as never_screened,
			count(*) filter (where at is not null and at < ${until} - make_interval(days => $2))::int as rescreen_due
		from last`,
		[unit, days]
	);
	return rows[0] as { households: number; never_screened: number; rescreen_due: number };
}

describe('the panel says who is due for re-screening and who was never screened', () => {
	for (const [who, unit, asOf] of [
		['secretary', '510502001006', '2020-03-15'],
		['secretary', '510502001006', '2020-01-27'],
		['commander', '510502001', '2020-02-20'],
		['xuyong', '510524', '2020-03-15']
	] as const) {
		it(`${unit} as of ${asOf}`, async () => {
			const { data, error } = await users[who].rpc('unit_dashboard', { p_unit: unit, p_as_of: asOf });
			expect(error).toBeNull();
			const want = await fromRecords(unit, asOf, data.stale_days);
			expect(data.kpis).toMatchObject({
				households: want.households,
				rescreen_due: want.rescreen_due,
				never_screened: want.never_screened,
				stale: want.rescreen_due + want.never_screened
			});
		});
	}

	it('splits the households the board lists as not re-screened, never-screened first', async () => {
		const asOf = '2020-03-15';
		const dash = await users.secretary.rpc('unit_dashboard', { p_unit: '510502001006', p_as_of: asOf });
		const list = await users.secretary.rpc('households_not_rescreened', {
			p_unit: '510502001006',
			p_days: dash.data.stale_days,
			p_as_of: asOf,
			p_limit: 100000
		});
		expect(list.error).toBeNull();
		const never = list.data.households.filter((h: { last_day: string | null }) => h.last_day === null);
		expect(never.length).toBe(dash.data.kpis.never_screened);
		expect(list.data.total - never.length).toBe(dash.data.kpis.rescreen_due);
		// The list says so itself, however few of its rows it sends.
		expect(list.data.never).toBe(dash.data.kpis.never_screened);
	});
});

describe('unit_exists', () => {
	it('answers for any unit code, in the member’s scope or not, and only yes or no', async () => {
		for (const [code, exists] of [
			['510524', true],
			['510502', true],
			['5105', true],
			['9999', false],
			['510524999', false]
		] as const) {
			const { data, error } = await users.xuyong.rpc('unit_exists', { p_code: code });
			expect(error).toBeNull();
			expect(data, code).toBe(exists);
		}
	});

	it('is not offered to anonymous callers', async () => {
		const { error } = await client().rpc('unit_exists', { p_code: '5105' });
		expect(error).not.toBeNull();
	});
});
