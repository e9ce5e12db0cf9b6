import { describe, expect, it } from 'vitest';
import {
	addDays,
	cellReading,
	formatSlots,
	gapClass,
	parseDay,
	parseSlots,
	rosterGrid,
	slotPatternOf,
	slotPeriod,
	SLOT_PATTERNS,
	staffingOver,
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

	it('takes 24 as midnight at the end of a slot, keeping the label people write', () => {
		expect(parseSlots('00-08,08-16,16-24')).toEqual({
			slots: [
				{ from: '00:00', to: '08:00', label: '00-08' },
				{ from: '08:00', to: '16:00', label: '08-16' },
				{ from: '16:00', to: '00:00', label: '16-24' }
			]
		});
		expect(parseSlots('24-08')).toEqual({ error: '24-08' });
		expect(parseSlots('00-24')).toEqual({ error: '00-24' });
	});

	it('offers the usual shift patterns and knows a typed one among them', () => {
		for (const p of SLOT_PATTERNS) {
			expect('slots' in parseSlots(p.text)).toBe(true);
			expect(slotPatternOf(p.text)).toBe(p.id);
		}
		expect(slotPatternOf('8-12, 12-16，16-20、20-8')).toBe('quarters');
		expect(slotPatternOf('08-20,20-08')).toBe('two_shifts');
		expect(slotPatternOf('07-19,19-07')).toBe('custom');
		expect(slotPatternOf('nonsense')).toBe('custom');
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

describe('who is there across a cell', () => {
	const h = (x: number) => x * 3600_000;
	// The 20-08 cell: 20:00 is hour 20, the next 08:00 hour 32.
	const night = [h(20), h(32)] as const;

	it('sees the evening shift: someone until midnight, nobody 00–08 (not "nobody" for the whole cell)', () => {
		const two = staffingOver(
			night,
			[
				[h(16), h(24)],
				[h(16), h(24)]
			],
			2
		);
		expect(two).toEqual({
			low: 0,
			peak: 2,
			uncovered: [[h(24), h(32)]],
			uncoveredHours: 8,
			missingHours: 16
		});
	});

	it('is full when the night shift follows the evening one', () => {
		const seats = [
			[h(16), h(24)],
			[h(16), h(24)],
			[h(24), h(32)],
			[h(24), h(32)]
		] as const;
		expect(staffingOver(night, seats, 2)).toEqual({
			low: 2,
			peak: 2,
			uncovered: [],
			uncoveredHours: 0,
			missingHours: 0
		});
	});

	it('counts seat-hours short, merges touching empty stretches and keeps separate ones apart', () => {
		// One person 22–02, another 04–06: nobody 20–22, 02–04 and 06–08.
		const r = staffingOver(
			night,
			[
				[h(22), h(26)],
				[h(28), h(30)]
			],
			2
		);
		expect(r.low).toBe(0);
		expect(r.peak).toBe(1);
		expect(r.uncovered).toEqual([
			[h(20), h(22)],
			[h(26), h(28)],
			[h(30), h(32)]
		]);
		expect(r.uncoveredHours).toBe(6);
		expect(r.missingHours).toBe(2 * 6 + 1 * 6);
		// Nobody at all: the whole cell.
		expect(staffingOver(night, [], 3)).toEqual({
			low: 0,
			peak: 0,
			uncovered: [[h(20), h(32)]],
			uncoveredHours: 12,
			missingHours: 36
		});
		// Nobody needed: nothing is missing.
		expect(staffingOver(night, [], 0)).toMatchObject({ uncovered: [], missingHours: 0 });
	});
});

describe('the gap grid', () => {
	const row = (
		checkpoint: number,
		slot: number,
		required: number,
		staffed: number,
		extra: Partial<RosterDayRow> = {}
	): RosterDayRow => ({
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
		peak: staffed,
		assigned: staffed,
		uncovered: [],
		uncovered_hours: staffed === 0 && required > 0 ? 4 : 0,
		required_hours: required * 4,
		missing_hours: Math.max(required - staffed, 0) * 4,
		volunteers: [],
		...extra
	});

	it('classes cells by what is missing: closed, full, short, uncovered hours, nobody at all', () => {
		expect(gapClass({ required: 0, staffed: 0, peak: 0 })).toBe('closed');
		expect(gapClass({ required: 3, staffed: 4, peak: 4 })).toBe('full');
		expect(gapClass({ required: 3, staffed: 1, peak: 3 })).toBe('short');
		expect(gapClass({ required: 2, staffed: 0, peak: 2 })).toBe('uncovered');
		expect(gapClass({ required: 3, staffed: 0, peak: 0 })).toBe('empty');
	});

	it('reads a cell as the fewest–most there and the clock times nobody is', () => {
		const evening = { required: 2, staffed: 0, peak: 2 };
		const uncovered = [{ starts: '2020-03-14T16:00:00+00:00', ends: '2020-03-15T00:00:00+00:00' }];
		expect(cellReading({ ...evening, uncovered })).toEqual({
			count: '0–2/2',
			nobody: [{ from: '00:00', to: '08:00' }]
		});
		expect(cellReading({ required: 2, staffed: 2, peak: 2, uncovered: [] })).toEqual({
			count: '2/2',
			nobody: []
		});
		// Nobody at any moment: no times to list (the whole cell is 无人).
		expect(cellReading({ required: 3, staffed: 0, peak: 0, uncovered })).toEqual({
			count: '0/3',
			nobody: []
		});
	});

	it('lays rows out as checkpoints × slots with the day’s gap in seat-hours per checkpoint', () => {
		const grid = rosterGrid([row(7, 2, 3, 1), row(7, 1, 3, 3), row(9, 1, 2, 0), row(9, 2, 0, 0)]);
		expect(grid.slots.map((s) => s.label)).toEqual(['08-12', '12-16']);
		expect(grid.checkpoints.map((c) => [c.id, c.cells.map((x) => x.slot), c.gap])).toEqual([
			[7, [1, 2], 8],
			[9, [1, 2], 8]
		]);
		expect([grid.requiredHours, grid.missingHours, grid.unstaffedCells]).toEqual([32, 16, 1]);
	});

	it('refuses a grid with a missing cell', () => {
		expect(() => rosterGrid([row(7, 1, 3, 1), row(7, 2, 3, 1), row(9, 1, 2, 0)])).toThrow(/checkpoint 9/);
	});
});
