/**
 * Live updates (issue #17), the pure part: the unit topics and events the database broadcasts on
 * (supabase/migrations/20261208000200_realtime.sql), a connection's status from the channel's, and when to
 * refetch after messages. `$lib/live/live-unit.svelte.ts` drives it with a real channel.
 *
 * The database throttles per topic and event: after a message, further changes within `window_ms` send
 * nothing. So a screen refetches no earlier than `window_ms` after a message (then it sees every change the
 * throttle swallowed), and one refetch serves every message that arrives before it is due.
 */

/** What the database broadcasts on a unit's topic. */
export const LIVE_EVENTS = ['coverage', 'claims', 'roster', 'leads'] as const;
export type LiveEvent = (typeof LIVE_EVENTS)[number];

/** A message's payload: codes, ids, days and counts only. */
export interface LiveChange {
	event: LiveEvent;
	/** The topic's unit. */
	unit: string;
	/** Rows the change touched under that unit. */
	count: number;
	firstDay: string | null;
	lastDay: string | null;
	/** The grid or community, when the change touched one. */
	code: string | null;
	/** The building, shift or lead, when the change touched one. */
	id: number | null;
	windowMs: number;
}

export type LiveStatus = 'connected' | 'reconnecting' | 'offline';

/** The private channel of a unit. */
export function unitTopic(unit: string): string {
	if (!/^[0-9]{4,15}$/.test(unit)) throw new Error(`not a unit code: ${unit}`);
	return `unit:${unit}`;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Reads a broadcast payload, or null when it is not one of ours. */
export function parseChange(event: string, payload: unknown): LiveChange | null {
	if (!(LIVE_EVENTS as readonly string[]).includes(event)) return null;
	const p = (payload ?? {}) as Record<string, unknown>;
	if (typeof p.unit !== 'string') return null;
	return {
		event: event as LiveEvent,
		unit: p.unit,
		count: typeof p.count === 'number' ? p.count : 0,
		firstDay: str(p.first_day),
		lastDay: str(p.last_day),
		code: str(p.code),
		id: typeof p.id === 'number' ? p.id : null,
		windowMs: typeof p.window_ms === 'number' && p.window_ms >= 0 ? p.window_ms : 1000
	};
}

/** Whether a change matters to a view of `day` (a past day does not move; a change without days does). */
export function touchesDay(change: LiveChange, day: string | null): boolean {
	if (!day || !change.firstDay || !change.lastDay) return true;
	return change.firstDay <= day && day <= change.lastDay;
}

/** The channel's subscribe status (realtime-js) and the browser's online flag, as the screen shows them. */
export function liveStatus(channelStatus: string | null, online: boolean): LiveStatus {
	if (!online) return 'offline';
	if (channelStatus === 'SUBSCRIBED') return 'connected';
	if (channelStatus === 'CLOSED') return 'offline';
	return 'reconnecting'; // joining, CHANNEL_ERROR, TIMED_OUT: realtime-js keeps rejoining
}

/** A few milliseconds beyond the window, for the last swallowed change's commit. */
export const REFRESH_MARGIN_MS = 250;

/**
 * When to refetch. Every message asks for a refetch no earlier than its window (plus a margin) after it, and
 * than the debounce. One planned refetch serves every message whose wish it meets; a message that arrives
 * while one is planned but wants it later (a new window began) gets the next one, planned when the first
 * fires. So under a steady stream a screen refetches about once per window, and never before a window ends.
 */
export class RefreshPlan {
	private due: number | null = null;
	private next: number | null = null;

	constructor(private readonly debounceMs = 0) {}

	/** A message at `now`: returns the time to arm the timer for, or null when the armed timer serves it. */
	message(now: number, windowMs: number): number | null {
		const wish = now + Math.max(windowMs + REFRESH_MARGIN_MS, this.debounceMs);
		if (this.due === null) return (this.due = wish);
		if (wish > this.due) this.next = Math.max(this.next ?? 0, wish);
		return null;
	}

	/** The timer fired (the caller refetches now): returns the next time to arm it for, or null. */
	fired(): number | null {
		this.due = this.next;
		this.next = null;
		return this.due;
	}

	get planned(): number | null {
		return this.due;
	}
}
