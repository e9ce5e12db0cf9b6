/**
 * The phone's queue of screenings not yet stored by the server. Every screening goes through it: it is kept
 * (in localStorage, or any store with the same three calls) before it is sent, so nothing recorded is lost when
 * the network drops, the page is closed or the phone restarts. Each entry carries its own key, so sending one
 * twice (a retry after a timeout, two tabs syncing at once) stores it once on the server.
 *
 *   const queue = new ScreeningQueue(localStorage, 'wanggetong.screenings.<user>');
 *   queue.add(submission, '3栋 2单元301', 4003);
 *   await drain(queue, send, Date.now());   // send() posts one entry; see SendResult
 *
 * Pure apart from the store: no timers, no network, no clock of its own (callers pass `now`).
 */
import type { ScreeningSubmission } from './screening';

/** What a queue needs from its storage: localStorage's calls. */
export interface KeyValueStore {
	getItem(key: string): string | null;
	setItem(key: string, value: string): void;
	removeItem(key: string): void;
}

export interface QueueItem extends ScreeningSubmission {
	/** What the list shows: building and room. */
	label: string;
	building_id: number;
	/** pending: to be sent; failed: the server refused it (the worker reads why, then retries or discards). */
	state: 'pending' | 'failed';
	attempts: number;
	/** Epoch milliseconds before which it is not sent again (after a server error). */
	next_try: number;
	error: string | null;
}

/** The answer to sending one entry. */
export type SendResult =
	/** Stored now, or stored before (a replay): either way it is on the server, and leaves the queue. */
	| { kind: 'stored' }
	| { kind: 'duplicate' }
	/** Refused for good (outside the unit, a round that does not apply, too old): kept, marked failed. */
	| { kind: 'rejected'; message: string }
	/** No network: stop for now; the next `online` event or tick tries again. */
	| { kind: 'offline' }
	/** The server failed (5xx, timeout): try this one again later, with growing pauses. */
	| { kind: 'retry'; message: string };

export interface DrainResult {
	synced: number;
	failed: number;
	/** Still pending afterwards. */
	waiting: number;
	offline: boolean;
}

/** Pause before the next attempt after `attempts` failures: 5 s, 10 s, 20 s, ... up to 5 minutes. */
export function retryDelay(attempts: number): number {
	return Math.min(5 * 60_000, 5_000 * 2 ** Math.max(0, attempts - 1));
}

function isItem(x: unknown): x is QueueItem {
	if (typeof x !== 'object' || x === null) return false;
	const o = x as Record<string, unknown>;
	return (
		typeof o.key === 'string' &&
		typeof o.household_id === 'number' &&
		typeof o.round_id === 'number' &&
		(o.state === 'pending' || o.state === 'failed')
	);
}

export class ScreeningQueue {
	readonly #store: KeyValueStore;
	readonly #storageKey: string;

	constructor(store: KeyValueStore, storageKey: string) {
		this.#store = store;
		this.#storageKey = storageKey;
	}

	/** The entries, oldest first, read afresh from the store (another tab may have changed them). */
	items(): QueueItem[] {
		const raw = this.#store.getItem(this.#storageKey);
		if (!raw) return [];
		try {
			const parsed: unknown = JSON.parse(raw);
			return Array.isArray(parsed) ? parsed.filter(isItem) : [];
		} catch {
			// A damaged entry must not block recording: start afresh (what it held cannot be read anyway).
			return [];
		}
	}

	#write(items: QueueItem[]): void {
		if (items.length === 0) this.#store.removeItem(this.#storageKey);
		else this.#store.setItem(this.#storageKey, JSON.stringify(items));
	}

	/** Queues a submission (pending, to be sent at once); the same key twice is kept once. */
	add(submission: ScreeningSubmission, label: string, buildingId: number): QueueItem {
		const items = this.items();
		const existing = items.find((i) => i.key === submission.key);
		if (existing) return existing;
		const item: QueueItem = {
			...submission,
			label,
			building_id: buildingId,
			state: 'pending',
			attempts: 0,
			next_try: 0,
			error: null
		};
		this.#write([...items, item]);
		return item;
	}

	remove(key: string): void {
		this.#write(this.items().filter((i) => i.key !== key));
	}

	update(key: string, patch: Partial<Pick<QueueItem, 'state' | 'attempts' | 'next_try' | 'error'>>): void {
		this.#write(this.items().map((i) => (i.key === key ? { ...i, ...patch } : i)));
	}

	/** A failed entry back to pending, to be sent on the next drain. */
	retry(key: string): void {
		this.update(key, { state: 'pending', attempts: 0, next_try: 0, error: null });
	}
}

/**
 * Sends the pending entries that are due, oldest first, one at a time (so the server sees them in the order
 * they were recorded). Stops at the first sign of no network.
 */
export async function drain(
	queue: ScreeningQueue,
	send: (item: QueueItem) => Promise<SendResult>,
	now: number
): Promise<DrainResult> {
	let synced = 0;
	let failed = 0;
	let offline = false;
	for (const item of queue.items()) {
		if (item.state !== 'pending' || item.next_try > now) continue;
		const result = await send(item);
		if (result.kind === 'stored' || result.kind === 'duplicate') {
			queue.remove(item.key);
			synced++;
		} else if (result.kind === 'rejected') {
			queue.update(item.key, { state: 'failed', error: result.message });
			failed++;
		} else if (result.kind === 'retry') {
			const attempts = item.attempts + 1;
			queue.update(item.key, { attempts, next_try: now + retryDelay(attempts), error: result.message });
		} else {
			offline = true;
			break;
		}
	}
	const waiting = queue.items().filter((i) => i.state === 'pending').length;
	return { synced, failed, waiting, offline };
}

/** Classifies the sync endpoint's answer (or a fetch that threw) for `drain`. */
export function classifyResponse(status: number | 'network-error', body: unknown): SendResult {
	if (status === 'network-error') return { kind: 'offline' };
	const message =
		typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
			? (body as { message: string }).message
			: String(status);
	if (status >= 200 && status < 300)
		return (body as { stored?: unknown })?.stored === false ? { kind: 'duplicate' } : { kind: 'stored' };
	// A session that ended is not the entry's fault: keep it pending until the worker signs in again.
	if (status === 401) return { kind: 'retry', message };
	if (status >= 400 && status < 500 && status !== 408 && status !== 429) return { kind: 'rejected', message };
	return { kind: 'retry', message };
}
