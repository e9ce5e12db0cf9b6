import { describe, expect, it } from 'vitest';
import {
	addDays,
	formatSlots,
	gapClass,
	parseDay,
	parseSlots,
	rosterGrid,
	slotPeriod,
	type RosterDayRow
} from './roster';

describe('parseSlots', () => {
	it('reads the default four slots', () => {
		expect(parseSlots('08-12,12-16,16-20,20-08')).toEqual({
			slots: [
				{ from: '08:00', to: '12:00', label: '08-12' },
				{ from: '12:00', to: '16:00', label: '12-16' },
				{ from: '16:00', to: '20:00', label: '16-20' },
				{ from: '20:00', to: '08:00', label: '20-08' }
			]
		});
	});

	it('takes minutes, single digits, Chinese separators and dashes', () => {
		expect(parseSlots('8:30–12，12:00 至 17:45、 0-8')).toEqual({
			slots: [
				{ from: '08:30', to: '12:00', label: '08:30-12' },
				{ from: '12:00', to: '17:45', label: '12-17:45' },
				{ from: '00:00', to: '08:00', label: '00-08' }
			]
		});
	});

	it('names the piece it cannot read', () => {
		expect(parseSlots('08-12,25-26')).toEqual({ error: '25-26' });
		expect(parseSlots('08-12,12')).toEqual({ error: '12' });
		expect(parseSlots('08-08')).toEqual({ error: '08-08' });
		expect(parseSlots('08:61-12')).toEqual({ error: '08:61-12' });
		expect(parseSlots(' , ')).toEqual({ error: 'empty' });
		expect(parseSlots(Array.from({ length: 25 }, () => '08-09').join(','))).toEqual({ error: 'too_many' });
	});

	it('reads back what it formats', () => {
		const parsed = parseSlots('08:30-12,12-16,20-08');
		if (!('slots' in parsed)) throw new Error('not parsed');
		expect(parseSlots(formatSlots(parsed.slots))).toEqual(parsed);
	});
});

describe('days', () => {
	it('accepts real dates only', () => {
		expect(parseDay('2020-03-14')).toBe('2020-03-14');
		expect(parseDay('2031-06-02')).toBe('2031-06-02');
		expect(parseDay('2020-02-30')).toBeNull();
		expect(parseDay('2020-3-14')).toBeNull();
		expect(parseDay(null)).toBeNull();
	});

	it('adds days across months and leap days', () => {
		expect(addDays('2020-02-28')).toBe('2020-02-29');
		expect(addDays('2020-02-29')).toBe('2020-03-01');
		expect(addDays('2020-12-31')).toBe('2021-01-01');
		expect(addDays('2020-03-01', -1)).toBe('2020-02-29');
	});

	it('gives a slot past midnight its end on the next day, in China Standard Time', () => {
		expect(slotPeriod('2020-02-29', { from: '20:00', to: '08:00', label: '' })).toEqual({
			starts: '2020-02-29T20:00:00+08:00',
			ends: '2020-03-01T08:00:00+08:00'
		});
		const day = slotPeriod('2020-03-14', { from: '08:00', to: '12:00', label: '' });
		expect(new Date(day.ends).getTime() - new Date(day.starts).getTime()).toBe(4 * 3600_000);
	});
});

describe('the gap grid', () => {
	const row = (checkpoint: number, slot: number, required: number, staffed: number): RosterDayRow => ({
		checkpoint_id: checkpoint,
		checkpoint_name: `卡口${checkpoint}`,
		kind: 'road_checkpoint',
		checkpoint_status: 'active',
		community_code: '510502001006',
		community_name: '白招牌社区',
		lon: 105.44,
		lat: 28.88,
		staff_required: 3,
		slot,
		slot_label: ['', '08-12', '12-16'][slot],
		starts: '',
		ends: '',
		required,
		staffed,
		assigned: staffed,
		gap: Math.max(required - staffed, 0),
		volunteers: []
	});

	it('classes cells as closed, full, short or empty', () => {
		expect(gapClass({ required: 0, staffed: 0 })).toBe('closed');
		expect(gapClass({ required: 3, staffed: 4 })).toBe('full');
		expect(gapClass({ required: 3, staffed: 1 })).toBe('short');
		expect(gapClass({ required: 3, staffed: 0 })).toBe('empty');
	});

	it('lays rows out as checkpoints × slots with the day’s gap per checkpoint', () => {
		const grid = rosterGrid([row(7, 2, 3, 1), row(7, 1, 3, 3), row(9, 1, 2, 0), row(9, 2, 0, 0)]);
		expect(grid.slots.map((s) => s.label)).toEqual(['08-12', '12-16']);
		expect(grid.checkpoints.map((c) => [c.id, c.cells.map((x) => x.slot), c.gap])).toEqual([
			[7, [1, 2], 2],
			[9, [1, 2], 2]
		]);
		expect([grid.required, grid.staffed]).toEqual([8, 4]);
	});

	it('refuses a grid with a missing cell', () => {
		expect(() => rosterGrid([row(7, 1, 3, 1), row(7, 2, 3, 1), row(9, 1, 2, 0)])).toThrow(/checkpoint 9/);
	});
});
