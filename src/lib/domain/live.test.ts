import { describe, expect, it } from 'vitest';
import { liveStatus, parseChange, RefreshPlan, REFRESH_MARGIN_MS, touchesDay, unitTopic } from './live';

describe('unit topics', () => {
	it('names a unit’s private channel, and only a unit’s', () => {
		expect(unitTopic('510502001006')).toBe('unit:510502001006');
		expect(() => unitTopic('5105%')).toThrow();
		expect(() => unitTopic('')).toThrow();
	});
});

describe('parseChange', () => {
	it('reads what the database sends', () => {
		expect(
			parseChange('coverage', {
				unit: '5105',
				count: 3,
				first_day: '2026-12-07',
				last_day: '2026-12-08',
				code: '510502001006001',
				id: null,
				window_ms: 1000
			})
		).toEqual({
			event: 'coverage',
			unit: '5105',
			count: 3,
			firstDay: '2026-12-07',
			lastDay: '2026-12-08',
			code: '510502001006001',
			id: null,
			windowMs: 1000
		});
	});

	it('ignores other events and payloads without a unit, and defaults the window', () => {
		expect(parseChange('chat', { unit: '5105' })).toBeNull();
		expect(parseChange('claims', { count: 1 })).toBeNull();
		expect(parseChange('claims', { unit: '5105', id: 7 })).toMatchObject({ id: 7, windowMs: 1000, count: 0 });
	});
});

describe('touchesDay', () => {
	const change = parseChange('coverage', { unit: '5105', first_day: '2026-12-06', last_day: '2026-12-07' })!;
	it('moves a view of a day the change touched, not one of another day', () => {
		expect(touchesDay(change, '2026-12-07')).toBe(true);
		expect(touchesDay(change, '2026-12-05')).toBe(false);
		expect(touchesDay(change, null)).toBe(true);
		expect(touchesDay({ ...change, firstDay: null }, '2026-12-01')).toBe(true);
	});
});

describe('liveStatus', () => {
	it('says 已连接 / 重连中 / 离线 from the channel and the browser', () => {
		expect(liveStatus('SUBSCRIBED', true)).toBe('connected');
		expect(liveStatus('CHANNEL_ERROR', true)).toBe('reconnecting');
		expect(liveStatus('TIMED_OUT', true)).toBe('reconnecting');
		expect(liveStatus(null, true)).toBe('reconnecting');
		expect(liveStatus('CLOSED', true)).toBe('offline');
		expect(liveStatus('SUBSCRIBED', false)).toBe('offline');
	});
});

describe('RefreshPlan', () => {
	const W = 1000;
	it('refetches no earlier than the window after a message, once for a burst', () => {
		const plan = new RefreshPlan();
		expect(plan.message(0, W)).toBe(W + REFRESH_MARGIN_MS);
		// Messages of the same window are served by the planned refetch... unless they want it later.
		expect(plan.message(100, W)).toBeNull();
		expect(plan.fired()).toBe(100 + W + REFRESH_MARGIN_MS); // the second message's window ends later
		expect(plan.fired()).toBeNull();
	});

	it('under a steady stream refetches about once per window, never before a message’s window ends', () => {
		const plan = new RefreshPlan();
		const fired: number[] = [];
		let due = plan.message(0, W);
		for (let t = 0; t <= 5000; t += 50) {
			if (due !== null && t >= due) {
				fired.push(t);
				due = plan.fired();
			}
			if (t % 1000 === 0 && t > 0) {
				const armed = plan.message(t, W);
				if (armed !== null) due = armed;
				// every message's refetch comes at least W after it
				expect(plan.planned).not.toBeNull();
			}
		}
		expect(fired.length).toBeGreaterThanOrEqual(4);
		expect(fired.length).toBeLessThanOrEqual(6);
		for (let i = 1; i < fired.length; i++) expect(fired[i] - fired[i - 1]).toBeGreaterThanOrEqual(W);
	});

	it('honours a longer debounce', () => {
		expect(new RefreshPlan(3000).message(0, W)).toBe(3000);
	});
});
