import { describe, expect, it } from 'vitest';
import type { ScreeningSubmission } from './screening';
import {
	classifyResponse,
	drain,
	retryDelay,
	ScreeningQueue,
	type KeyValueStore,
	type QueueItem,
	type SendResult
} from './screening-queue';

/** localStorage's three calls over a Map (what a browser keeps between page loads). */
class MemoryStore implements KeyValueStore {
	readonly data = new Map<string, string>();
	getItem(key: string) {
		return this.data.get(key) ?? null;
	}
	setItem(key: string, value: string) {
		this.data.set(key, value);
	}
	removeItem(key: string) {
		this.data.delete(key);
	}
}

const KEY = 'wanggetong.screenings.test';
let n = 0;
function submission(household = 1000 + n): ScreeningSubmission {
	n++;
	return {
		key: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
		household_id: household,
		round_id: 2,
		method: 'door',
		outcome: 'normal',
		flags: [],
		note: '',
		screened_at: '2026-11-29T08:00:00.000Z'
	};
}

/** A server that stores each key once, answering like the sync endpoint, and can be cut off. */
function server() {
	const stored = new Map<string, QueueItem>();
	const state = { online: true, failNext: 0, refuse: new Set<number>(), calls: 0 };
	const send = async (item: QueueItem): Promise<SendResult> => {
		state.calls++;
		if (!state.online) return { kind: 'offline' };
		if (state.failNext > 0) {
			state.failNext--;
			return { kind: 'retry', message: '500' };
		}
		if (state.refuse.has(item.household_id)) return { kind: 'rejected', message: '该住户不在你的管辖范围内' };
		if (stored.has(item.key)) return { kind: 'duplicate' };
		stored.set(item.key, item);
		return { kind: 'stored' };
	};
	return { stored, state, send };
}

describe('the screening queue', () => {
	it('keeps entries in the store, oldest first, each key once', () => {
		const store = new MemoryStore();
		const queue = new ScreeningQueue(store, KEY);
		const a = submission();
		const b = submission();
		queue.add(a, '1栋 101', 1);
		queue.add(b, '1栋 102', 1);
		queue.add(a, '1栋 101', 1);
		// A new queue over the same store (the page reloaded) sees the same entries.
		const reloaded = new ScreeningQueue(store, KEY);
		expect(reloaded.items().map((i) => i.key)).toEqual([a.key, b.key]);
		expect(reloaded.items()[0]).toMatchObject({ state: 'pending', attempts: 0, label: '1栋 101' });
	});

	it('starts afresh from a damaged store instead of failing', () => {
		const store = new MemoryStore();
		store.setItem(KEY, '{not json');
		const queue = new ScreeningQueue(store, KEY);
		expect(queue.items()).toEqual([]);
		queue.add(submission(), 'x', 1);
		expect(queue.items()).toHaveLength(1);
	});

	it('keeps everything while offline and sends it once the network is back', async () => {
		const queue = new ScreeningQueue(new MemoryStore(), KEY);
		const srv = server();
		srv.state.online = false;
		queue.add(submission(), 'a', 1);
		queue.add(submission(), 'b', 1);
		const offline = await drain(queue, srv.send, 0);
		expect(offline).toEqual({ synced: 0, failed: 0, waiting: 2, offline: true });
		// It stops at the first sign of no network rather than trying every entry.
		expect(srv.state.calls).toBe(1);
		srv.state.online = true;
		expect(await drain(queue, srv.send, 1)).toEqual({ synced: 2, failed: 0, waiting: 0, offline: false });
		expect(srv.stored.size).toBe(2);
		expect(queue.items()).toEqual([]);
	});

	it('stores a replayed entry once (a response lost after the server stored it)', async () => {
		const store = new MemoryStore();
		const queue = new ScreeningQueue(store, KEY);
		const srv = server();
		const item = queue.add(submission(), 'a', 1);
		// The server stores it, but the answer never arrives: the phone still holds the entry.
		await srv.send(item);
		expect(queue.items()).toHaveLength(1);
		expect(await drain(queue, srv.send, 0)).toMatchObject({ synced: 1, waiting: 0 });
		expect(srv.stored.size).toBe(1);
	});

	it('waits longer after each server error, and marks refused entries failed until retried', async () => {
		const queue = new ScreeningQueue(new MemoryStore(), KEY);
		const srv = server();
		const ok = queue.add(submission(), 'a', 1);
		const refused = submission(4242);
		srv.state.refuse.add(4242);
		queue.add(refused, 'elsewhere', 9);
		srv.state.failNext = 1;
		let result = await drain(queue, srv.send, 1000);
		// A server error on one entry does not hold up the next.
		expect(result).toEqual({ synced: 0, failed: 1, waiting: 1, offline: false });
		const [waiting, failed] = queue.items();
		expect(failed).toMatchObject({ key: refused.key, state: 'failed', error: '该住户不在你的管辖范围内' });
		expect(waiting).toMatchObject({ key: ok.key, state: 'pending', attempts: 1, next_try: 1000 + 5000 });
		// Not due yet: nothing is sent.
		const calls = srv.state.calls;
		result = await drain(queue, srv.send, 5999);
		expect(srv.state.calls).toBe(calls);
		result = await drain(queue, srv.send, 6000);
		expect(result).toEqual({ synced: 1, failed: 0, waiting: 0, offline: false });
		// The failed one stays until the worker retries it (and it is refused again) or discards it.
		queue.retry(refused.key);
		expect(queue.items()).toMatchObject([{ key: refused.key, state: 'pending', error: null }]);
		expect(await drain(queue, srv.send, 7000)).toMatchObject({ failed: 1 });
		queue.remove(refused.key);
		expect(queue.items()).toEqual([]);
	});

	it('grows the pause from 5 s to at most 5 minutes', () => {
		expect([1, 2, 3, 4].map(retryDelay)).toEqual([5000, 10000, 20000, 40000]);
		expect(retryDelay(30)).toBe(300000);
	});
});

describe('answers of the sync endpoint', () => {
	it('tells stored, replayed, refused, failed and unreachable apart', () => {
		expect(classifyResponse(200, { stored: true })).toEqual({ kind: 'stored' });
		expect(classifyResponse(200, { stored: false })).toEqual({ kind: 'duplicate' });
		expect(classifyResponse(403, { message: '该住户不在你的管辖范围内' })).toEqual({
			kind: 'rejected',
			message: '该住户不在你的管辖范围内'
		});
		expect(classifyResponse(400, null)).toEqual({ kind: 'rejected', message: '400' });
		expect(classifyResponse(401, null)).toEqual({ kind: 'retry', message: '401' });
		expect(classifyResponse(429, null).kind).toBe('retry');
		expect(classifyResponse(503, null).kind).toBe('retry');
		expect(classifyResponse('network-error', null)).toEqual({ kind: 'offline' });
	});
});
