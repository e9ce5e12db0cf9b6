/**
 * The board's outbox in the browser: the screening queue (`$lib/domain/screening-queue`) kept in localStorage
 * under the signed-in user's key, sent to the sync endpoint at once, again when the browser says it is back
 * online, every 30 seconds while entries wait, and when another tab changes the queue. Its state is runes, so
 * the queue panel and the household list follow it.
 *
 *   const outbox = new ScreeningOutbox(`wanggetong.screenings.${userId}`, `/board/${unit}/screenings`);
 *   onMount(() => outbox.start());           // listeners and the timer; returns their cleanup
 *   outbox.add(submission, '3栋 301', 4003);  // kept first, then sent
 *
 * Created per board view (never a module-level singleton: the server renders pages for many users).
 */
import { getContext, setContext } from 'svelte';
import { SvelteSet } from 'svelte/reactivity';
import type { ScreeningSubmission } from '$lib/domain/screening';
import {
	classifyResponse,
	drain,
	ScreeningQueue,
	type KeyValueStore,
	type QueueItem,
	type SendResult
} from '$lib/domain/screening-queue';

const TICK_MS = 30_000;

/**
 * Where one entry stands, for the page that recorded it: still waiting (after a server error, `retrying`),
 * refused by the server, or gone from the queue: sent (from here or another tab) or discarded here.
 */
export type EntryState =
	| { state: 'pending'; retrying: boolean }
	| { state: 'failed'; error: string | null }
	| { state: 'sent' }
	| { state: 'discarded' };
const REQUEST_TIMEOUT_MS = 15_000;

/** localStorage, or a store in memory when the browser refuses it (then entries live as long as the page). */
function browserStore(): { store: KeyValueStore; persistent: boolean } {
	try {
		const probe = '__wanggetong_probe__';
		localStorage.setItem(probe, '1');
		localStorage.removeItem(probe);
		return { store: localStorage, persistent: true };
	} catch {
		const data: Record<string, string> = {};
		return {
			store: {
				getItem: (k) => data[k] ?? null,
				setItem: (k, v) => void (data[k] = v),
				removeItem: (k) => void delete data[k]
			},
			persistent: false
		};
	}
}

export class ScreeningOutbox {
	readonly #queue: ScreeningQueue;
	readonly #storageKey: string;
	readonly #endpoint: string;
	#running: Promise<void> | null = null;
	#again = false;
	/** Entries discarded here: they left the queue without reaching the server. */
	readonly #discarded = new SvelteSet<string>();

	/** The queue's entries, oldest first. */
	items: QueueItem[] = $state([]);
	online = $state(true);
	syncing = $state(false);
	/** False when the browser keeps nothing between page loads (private mode, storage full). */
	persistent: boolean;
	/** Called after entries reached the server, so the page can reload what it shows. */
	onsynced: (() => void) | null = null;

	constructor(storageKey: string, endpoint: string) {
		const { store, persistent } = browserStore();
		this.#queue = new ScreeningQueue(store, storageKey);
		this.#storageKey = storageKey;
		this.#endpoint = endpoint;
		this.persistent = persistent;
		this.items = this.#queue.items();
	}

	get pending(): number {
		return this.items.filter((i) => i.state === 'pending').length;
	}

	get failed(): number {
		return this.items.filter((i) => i.state === 'failed').length;
	}

	/** Where the entry with this key stands (an entry not in the queue and not discarded here was sent). */
	entryState(key: string): EntryState {
		const item = this.items.find((i) => i.key === key);
		if (item?.state === 'pending') return { state: 'pending', retrying: item.attempts > 0 };
		if (item?.state === 'failed') return { state: 'failed', error: item.error };
		return this.#discarded.has(key) ? { state: 'discarded' } : { state: 'sent' };
	}

	/** Entries of one household still on this phone. */
	forHousehold(householdId: number): QueueItem[] {
		return this.items.filter((i) => i.household_id === householdId);
	}

	/** Listens for the network coming back, other tabs and the clock; returns the cleanup. */
	start(): () => void {
		this.online = navigator.onLine;
		const onOnline = () => {
			this.online = true;
			void this.sync();
		};
		const onOffline = () => (this.online = false);
		const onStorage = (e: StorageEvent) => {
			if (e.key === this.#storageKey) this.#refresh();
		};
		window.addEventListener('online', onOnline);
		window.addEventListener('offline', onOffline);
		window.addEventListener('storage', onStorage);
		const timer = setInterval(() => {
			if (this.pending > 0) void this.sync();
		}, TICK_MS);
		void this.sync();
		return () => {
			window.removeEventListener('online', onOnline);
			window.removeEventListener('offline', onOffline);
			window.removeEventListener('storage', onStorage);
			clearInterval(timer);
		};
	}

	/** Keeps the submission on the phone, then tries to send it. */
	add(submission: ScreeningSubmission, label: string, buildingId: number): void {
		this.#queue.add(submission, label, buildingId);
		this.#refresh();
		void this.sync();
	}

	retry(key: string): void {
		this.#queue.retry(key);
		this.#refresh();
		void this.sync();
	}

	discard(key: string): void {
		this.#discarded.add(key);
		this.#queue.remove(key);
		this.#refresh();
	}

	/** Sends what is due; a call while a sync runs makes that sync go round once more instead. */
	sync(): Promise<void> {
		if (this.#running) {
			this.#again = true;
			return this.#running;
		}
		this.#running = (async () => {
			this.syncing = true;
			try {
				do {
					this.#again = false;
					const result = await drain(this.#queue, (item) => this.#send(item), Date.now());
					this.#refresh();
					if (result.offline) this.online = false;
					if (result.synced > 0) this.onsynced?.();
				} while (this.#again);
			} finally {
				this.syncing = false;
				this.#running = null;
			}
		})();
		return this.#running;
	}

	#refresh(): void {
		this.items = this.#queue.items();
	}

	async #send(item: QueueItem): Promise<SendResult> {
		// A phone that knows it has no network does not try (the `online` event brings the next attempt).
		if (!navigator.onLine) return classifyResponse('network-error', null);
		const body: ScreeningSubmission = {
			key: item.key,
			household_id: item.household_id,
			round_id: item.round_id,
			method: item.method,
			outcome: item.outcome,
			flags: item.flags,
			note: item.note,
			screened_at: item.screened_at
		};
		let response: Response;
		try {
			response = await fetch(this.#endpoint, {
				method: 'POST',
				headers: { 'content-type': 'application/json', accept: 'application/json' },
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
			});
		} catch (e) {
			// A timeout may have reached the server: retry (the key makes a second arrival harmless).
			if (e instanceof DOMException && e.name === 'TimeoutError')
				return { kind: 'retry', message: 'timeout' };
			return classifyResponse('network-error', null);
		}
		this.online = true;
		// A sign-in page instead of JSON: the session ended; keep the entry until the worker signs in again.
		const json = (response.headers.get('content-type') ?? '').includes('application/json');
		if (response.redirected || !json) return classifyResponse(401, null);
		return classifyResponse(response.status, await response.json().catch(() => null));
	}
}

const KEY = Symbol('wanggetong.outbox');

export function setOutboxContext(outbox: ScreeningOutbox | null): void {
	setContext(KEY, { outbox });
}

/** The board's outbox, or null while the page is rendered on the server (the form then posts itself). */
export function getOutboxContext(): ScreeningOutbox | null {
	const ctx = getContext<{ outbox: ScreeningOutbox | null } | undefined>(KEY);
	if (!ctx) throw new Error('the outbox is set by the board layout');
	return ctx.outbox;
}
