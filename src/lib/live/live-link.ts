/**
 * The moving parts of a screen's live link to one unit, without runes (so they are unit-tested with a fake
 * channel and fake timers): joins the unit's private channel, turns messages into a planned refetch
 * (`RefreshPlan`), refetches once after a reconnection, and reports its state. `LiveUnit`
 * (live-unit.svelte.ts) keeps that state in runes for the screens.
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

/** What a live link needs of a supabase client. */
export type RealtimeSource = Pick<SupabaseClient, 'channel' | 'removeChannel'>;

export interface LiveOptions {
	unit: string;
	events: readonly LiveEvent[];
	/** Reloads what the screen shows; the changes that caused it are passed for screens that can do less. */
	refresh: (changes: LiveChange[]) => unknown;
	/** The day the screen shows (YYYY-MM-DD), read at each message; changes of other days are ignored. */
	day?: () => string | null;
	/** Wait at least this long after a message (default: the throttle window alone). */
	debounceMs?: number;
}

export interface LiveState {
	status: LiveStatus;
	/** When a change last caused a refetch (ms since the epoch), or null. */
	lastChange: number | null;
}

export class LiveLink {
	private channel: RealtimeChannel | null = null;
	private channelStatus: string | null = null;
	private wasConnected = false;
	private plan: RefreshPlan;
	private timer: ReturnType<typeof setTimeout> | undefined;
	private pending: LiveChange[] = [];
	private state: LiveState = { status: 'reconnecting', lastChange: null };

	constructor(
		private readonly supabase: RealtimeSource,
		private readonly options: LiveOptions,
		private readonly onState: (state: LiveState) => void = () => {}
	) {
		this.plan = new RefreshPlan(options.debounceMs ?? 0);
	}

	/** Joins the channel; returns the cleanup (leaves it, drops listeners and the timer). */
	start(): () => void {
		const online = () => this.update();
		const win = typeof window === 'undefined' ? undefined : window;
		win?.addEventListener('online', online);
		win?.addEventListener('offline', online);
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
			win?.removeEventListener('online', online);
			win?.removeEventListener('offline', online);
			clearTimeout(this.timer);
			this.timer = undefined;
			const c = this.channel;
			this.channel = null;
			if (c) void this.supabase.removeChannel(c);
		};
	}

	private set(next: Partial<LiveState>): void {
		this.state = { ...this.state, ...next };
		this.onState(this.state);
	}

	private update(): void {
		const online = typeof navigator === 'undefined' || navigator.onLine !== false;
		this.set({ status: liveStatus(this.channelStatus, online) });
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
			if (changes.length) this.set({ lastChange: Date.now() });
		} catch {
			// The screen keeps what it shows; the next message or reconnection tries again.
		}
	}
}
