/**
 * A screen's live link to one unit (issue #17), as runes: the unit's private channel `unit:<code>` on the
 * page's supabase client, the events the screen cares about, a refetch planned as `$lib/domain/live` says
 * (never before the database's throttle window has passed, once per burst), and the connection's state.
 *
 *   const live = new LiveUnit(supabase, {
 *     unit: data.unit.code,
 *     events: ['coverage'],
 *     day: () => view.date,                 // a view of a past day does not move (omit to always refetch)
 *     refresh: () => invalidate('app:map')  // what the screen reloads
 *   });
 *   onMount(() => live.start());            // returns the cleanup (leaves the channel, drops listeners)
 *   live.status;      // 'connected' | 'reconnecting' | 'offline'  → 实时 · 已连接 / 重连中 / 离线
 *   live.lastChange;  // when a change last caused a refetch (ms since the epoch), or null
 *
 * After a reconnection (realtime-js rejoins by itself, also after a stack restart) it refetches once, so what
 * changed while it was away shows too. Created per view, never a module-level singleton. The work is done by
 * `LiveLink` (live-link.ts, unit-tested); this class only keeps its state in runes.
 */
import type { LiveStatus } from '$lib/domain/live';
import { LiveLink, type LiveOptions, type RealtimeSource } from './live-link';

export class LiveUnit {
	status = $state<LiveStatus>('reconnecting');
	/** When a change last caused a refetch (ms since the epoch), or null. */
	lastChange = $state<number | null>(null);

	private link: LiveLink;

	constructor(supabase: RealtimeSource, options: LiveOptions) {
		this.link = new LiveLink(supabase, options, (state) => {
			this.status = state.status;
			this.lastChange = state.lastChange;
		});
	}

	/** Joins the channel; returns the cleanup. */
	start(): () => void {
		return this.link.start();
	}
}
