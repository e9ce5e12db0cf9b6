/**
 * A screen's live link to one unit (issue #17): the unit's private channel `unit:<code>` on the page's
 * supabase client, the events the screen cares about, a refetch planned as `$lib/domain/live` says (never
 * before the database's throttle window has passed, once per burst), and the connection's state as runes.
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
 * changed while it was away shows too. Created per view, never a module-level singleton.
 */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import {
	liveStatus,
	parseChange,
	RefreshPlan,
	touchesDay,
	unitTopic,
	type LiveChange,
	type LiveEvent,
	type LiveStatus
} from '$lib/domain/live';

/** What LiveUnit needs of a supabase client. */
export type RealtimeSource = Pick<SupabaseClient, 'channel' | 'removeChannel'>;

export interface LiveUnitOptions {
	unit: string;
	events: readonly LiveEvent[];
	/** Reloads what the screen shows; the changes that caused it are passed for screens that can do less. */
	refresh: (changes: LiveChange[]) => unknown;
	/** The day the screen shows (YYYY-MM-DD), read at each message; changes of other days are ignored. */
	day?: () => string | null;
	/** Wait at least this long after a message (default: the throttle window alone). */
	debounceMs?: number;
}

export class LiveUnit {
	status = $state<LiveStatus>('reconnecting');
	/** When a change last caused a refetch (ms since the epoch), or null. */
	lastChange = $state<number | null>(null);

	private channel: RealtimeChannel | null = null;
	private channelStatus: string | null = null;
	private wasConnected = false;
	private plan: RefreshPlan;
	private timer: ReturnType<typeof setTimeout> | undefined;
	private pending: LiveChange[] = [];

	constructor(
		private readonly supabase: RealtimeSource,
		private readonly options: LiveUnitOptions
	) {
		this.plan = new RefreshPlan(options.debounceMs ?? 0);
	}

	/** Joins the channel; returns the cleanup. */
	start(): () => void {
		const online = () => this.update();
		window.addEventListener('online', online);
		window.addEventListener('offline', online);
		const channel = this.supabase.channel(unitTopic(this.options.unit), { config: { private: true } });
		for (const event of this.options.events)
			channel.on('broadcast', { event }, (message) => this.receive(message.event, message.payload));
		channel.subscribe((status) => {
			this.channelStatus = status;
			if (status === 'SUBSCRIBED') {
				// Back after a drop: what changed meanwhile sent messages nobody received.
				if (this.wasConnected) void this.run([]);
				this.wasConnected = true;
			}
			this.update();
		});
		this.channel = channel;
		return () => {
			window.removeEventListener('online', online);
			window.removeEventListener('offline', online);
			clearTimeout(this.timer);
			this.timer = undefined;
			const c = this.channel;
			this.channel = null;
			if (c) void this.supabase.removeChannel(c);
		};
	}

	private update(): void {
		this.status = liveStatus(this.channelStatus, typeof navigator === 'undefined' || navigator.onLine);
	}

	private receive(event: string, payload: unknown): void {
		const change = parseChange(event, payload);
		if (!change || !touchesDay(change, this.options.day?.() ?? null)) return;
		this.pending.push(change);
		this.arm(this.plan.message(Date.now(), change.windowMs));
	}

	private arm(at: number | null): void {
		if (at === null || !this.channel) return;
		clearTimeout(this.timer);
		this.timer = setTimeout(
			() => {
				this.arm(this.plan.fired());
				const changes = this.pending;
				this.pending = [];
				void this.run(changes);
			},
			Math.max(0, at - Date.now())
		);
	}

	private async run(changes: LiveChange[]): Promise<void> {
		try {
			await this.options.refresh(changes);
			if (changes.length) this.lastChange = Date.now();
		} catch {
			// The screen keeps what it shows; the next message or reconnection tries again.
		}
	}
}
