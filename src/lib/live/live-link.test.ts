import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REFRESH_MARGIN_MS, type LiveChange } from '$lib/domain/live';
import { LiveLink, type LiveState, type RealtimeSource } from './live-link';

/** A channel as realtime-js exposes it, driven by the test: deliver messages, change its status. */
function fakeSource() {
	const listeners: { event: string; cb: (m: { event: string; payload: unknown }) => void }[] = [];
	let statusCb: (status: string) => void = () => {};
	const joined: { topic: string; config: unknown }[] = [];
	let removed = 0;
	const channel = {
		on(_type: string, filter: { event: string }, cb: (m: { event: string; payload: unknown }) => void) {
			listeners.push({ event: filter.event, cb });
			return channel;
		},
		subscribe(cb: (status: string) => void) {
			statusCb = cb;
			return channel;
		}
	};
	const source = {
		channel(topic: string, opts: { config: unknown }) {
			joined.push({ topic, config: opts.config });
			return channel;
		},
		removeChannel() {
			removed++;
			return Promise.resolve('ok');
		}
	} as unknown as RealtimeSource;
	return {
		source,
		joined,
		removed: () => removed,
		status: (s: string) => statusCb(s),
		send: (event: string, payload: Record<string, unknown>) =>
			listeners.filter((l) => l.event === event).forEach((l) => l.cb({ event, payload }))
	};
}

const change = (extra: Record<string, unknown> = {}) => ({
	unit: '510502001006',
	count: 1,
	first_day: '2026-12-07',
	last_day: '2026-12-07',
	code: '510502001006001',
	id: null,
	window_ms: 1000,
	...extra
});

describe('LiveLink', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('joins the unit’s private channel and reports its status', () => {
		const fake = fakeSource();
		const states: LiveState[] = [];
		const stop = new LiveLink(
			fake.source,
			{ unit: '510502001006', events: ['coverage'], refresh: () => {} },
			(s) => states.push(s)
		).start();
		expect(fake.joined).toEqual([{ topic: 'unit:510502001006', config: { private: true } }]);
		fake.status('SUBSCRIBED');
		fake.status('CHANNEL_ERROR');
		fake.status('CLOSED');
		expect(states.map((s) => s.status)).toEqual(['connected', 'reconnecting', 'offline']);
		stop();
		expect(fake.removed()).toBe(1);
	});

	it('refetches once per burst, no earlier than the window after the first message', async () => {
		const fake = fakeSource();
		const refreshes: LiveChange[][] = [];
		let last: LiveState | null = null;
		new LiveLink(
			fake.source,
			{ unit: '510502001006', events: ['coverage', 'claims'], refresh: (c) => void refreshes.push(c) },
			(s) => (last = s)
		).start();
		fake.status('SUBSCRIBED');
		fake.send('coverage', change());
		await vi.advanceTimersByTimeAsync(300);
		fake.send('claims', change({ id: 7 }));
		fake.send('roster', change()); // not asked for
		await vi.advanceTimersByTimeAsync(1000 + REFRESH_MARGIN_MS - 301);
		expect(refreshes).toEqual([]);
		await vi.advanceTimersByTimeAsync(1);
		expect(refreshes).toHaveLength(1);
		// The claims message came later than the planned refetch's wish: its own refetch follows.
		await vi.advanceTimersByTimeAsync(300);
		expect(refreshes).toHaveLength(2);
		expect(refreshes.flat().map((c) => c.event)).toEqual(['coverage', 'claims']);
		expect(last!.lastChange).not.toBeNull();
	});

	it('ignores changes of another day than the one shown', async () => {
		const fake = fakeSource();
		const refresh = vi.fn();
		new LiveLink(fake.source, {
			unit: '510502001006',
			events: ['coverage'],
			refresh,
			day: () => '2026-12-01'
		}).start();
		fake.status('SUBSCRIBED');
		fake.send('coverage', change());
		await vi.advanceTimersByTimeAsync(5000);
		expect(refresh).not.toHaveBeenCalled();
	});

	it('refetches once after a reconnection, to catch up', async () => {
		const fake = fakeSource();
		const refresh = vi.fn();
		new LiveLink(fake.source, { unit: '510502001006', events: ['coverage'], refresh }).start();
		fake.status('SUBSCRIBED');
		expect(refresh).not.toHaveBeenCalled();
		fake.status('CHANNEL_ERROR');
		fake.status('SUBSCRIBED');
		expect(refresh).toHaveBeenCalledTimes(1);
		expect(refresh).toHaveBeenCalledWith([]);
	});

	it('stops planning once stopped', async () => {
		const fake = fakeSource();
		const refresh = vi.fn();
		const stop = new LiveLink(fake.source, { unit: '510502001006', events: ['coverage'], refresh }).start();
		fake.status('SUBSCRIBED');
		fake.send('coverage', change());
		stop();
		await vi.advanceTimersByTimeAsync(5000);
		expect(refresh).not.toHaveBeenCalled();
	});
});
