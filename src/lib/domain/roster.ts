/**
 * The roster page's pure parts: shift slots as people type them ("08-12, 12-16, 16-20, 20-08"), days, and
 * the gap grid shaped from `public.roster_day` rows (one per checkpoint × slot).
 *
 *   parseSlots('08-12,12-16,16-20,20-08') → { slots: [{ from: '08:00', to: '12:00', label: '08-12' }, ...] }
 *   rosterGrid(rows) → { slots: [...], checkpoints: [{ id, name, cells: [...] }] }
 *   cellReading(cell) → { count: '0–2/2', nobody: [{ from: '00:00', to: '08:00' }] }
 */

/** A slot as `roster_day` takes it: local times (Asia/Shanghai); a `to` not after `from` ends the next day. */
export interface Slot {
	from: string;
	to: string;
	label: string;
}

export const DEFAULT_SLOTS_TEXT = '08-12,12-16,16-20,20-08';
/** roster_day refuses more. */
export const MAX_SLOTS = 24;

/**
 * The ways of cutting a day people choose from (the roster's 班次 menu); anything else is typed as a custom
 * pattern. `text` is what the URL and parseSlots take.
 */
export const SLOT_PATTERNS = [
	{ id: 'quarters', text: DEFAULT_SLOTS_TEXT },
	{ id: 'three_shifts', text: '00-08,08-16,16-24' },
	{ id: 'two_shifts', text: '08-20,20-08' }
] as const;
export type SlotPatternId = (typeof SLOT_PATTERNS)[number]['id'];

/** Which pattern a slots text is (compared as parsed, so "8-12, 12-16…" is the quarters too), else 'custom'. */
export function slotPatternOf(text: string): SlotPatternId | 'custom' {
	const parsed = parseSlots(text);
	if ('error' in parsed) return 'custom';
	const key = formatSlots(parsed.slots);
	for (const p of SLOT_PATTERNS) {
		const q = parseSlots(p.text);
		if ('slots' in q && formatSlots(q.slots) === key) return p.id;
	}
	return 'custom';
}

const TIME = /^([01]?\d|2[0-3])(?::([0-5]\d))?$/;

function time(text: string): string | null {
	const m = TIME.exec(text.trim());
	if (!m) return null;
	return `${m[1].padStart(2, '0')}:${m[2] ?? '00'}`;
}

/** An end may be written 24 (or 24:00): midnight, which ends the next day like any end not after its start. */
function endTime(text: string): string | null {
	return /^24(?::00)?$/.test(text.trim()) ? '24:00' : time(text);
}

/**
 * Reads slots from text: comma-separated (also 、，; or new lines) ranges `HH[:MM]-HH[:MM]` (also – — ~ 至).
 * A range whose end is not after its start runs past midnight (20-08); an end of 24 is midnight (16-24).
 * Labels are the text as typed, normalised to `08-12` / `08:30-12:00`.
 *
 * @returns the slots, or an error naming the piece that could not be read
 */
export function parseSlots(text: string): { slots: Slot[] } | { error: string } {
	const pieces = text
		.split(/[,，、;；\n]+/)
		.map((p) => p.trim())
		.filter(Boolean);
	if (pieces.length === 0) return { error: 'empty' };
	if (pieces.length > MAX_SLOTS) return { error: 'too_many' };
	const slots: Slot[] = [];
	for (const piece of pieces) {
		const parts = piece.split(/\s*(?:-|–|—|~|～|至)\s*/);
		if (parts.length !== 2) return { error: piece };
		const from = time(parts[0]);
		const end = endTime(parts[1]);
		if (!from || !end || from === end || (end === '24:00' && from === '00:00')) return { error: piece };
		const short = (t: string) => (t.endsWith(':00') ? t.slice(0, 2) : t);
		// roster_day takes clock times: 24:00 is 00:00 of the next day; the label keeps "24" as people write it.
		slots.push({ from, to: end === '24:00' ? '00:00' : end, label: `${short(from)}-${short(end)}` });
	}
	return { slots };
}

/** The text a set of slots reads back as (for the URL and the input). */
export function formatSlots(slots: readonly Slot[]): string {
	return slots.map((s) => s.label).join(',');
}

// Days as the roster plans them (any real date: a roster plans ahead as well as looks back).
import { addDays } from './response';
export { addDays, parseDay } from './response';

/** The instant a local (China Standard Time, UTC+8 all year) day and clock time name, as ISO 8601. */
export function chinaInstant(day: string, hhmm: string): string {
	return `${day}T${hhmm}:00+08:00`;
}

/** A slot on a day as an instant range, ending the next day when it runs past midnight. */
export function slotPeriod(day: string, slot: Slot): { starts: string; ends: string } {
	return {
		starts: chinaInstant(day, slot.from),
		ends: chinaInstant(slot.to <= slot.from ? addDays(day) : day, slot.to)
	};
}

/** A volunteer on a cell as roster_day lists them (name masked for those living outside the caller's unit). */
export interface CellVolunteer {
	shift_id: number;
	volunteer_id: number;
	name: string;
	status: string;
	starts: string;
	ends: string;
	home_unit_code: string;
	lent: boolean;
}

/** A stretch of a cell nobody is there (instants as roster_day writes them). */
export interface Stretch {
	starts: string;
	ends: string;
}

/** One row of public.roster_day. */
export interface RosterDayRow {
	checkpoint_id: number;
	checkpoint_name: string;
	kind: string;
	checkpoint_status: string;
	community_code: string;
	community_name: string;
	lon: number;
	lat: number;
	staff_required: number;
	slot: number;
	slot_label: string;
	starts: string;
	ends: string;
	required: number;
	/** the fewest there at any one moment of the slot (while the checkpoint is open) */
	staffed: number;
	/** the most there at any one moment */
	peak: number;
	assigned: number;
	/** the stretches nobody is there (none when nobody is needed) */
	uncovered: Stretch[];
	uncovered_hours: number;
	/** required × the hours open in the slot, and the seat-hours short of it (the gap) */
	required_hours: number;
	missing_hours: number;
	volunteers: CellVolunteer[] | null;
}

/**
 * How a cell reads on the gap map, by what is missing: not needed (required 0); full (enough people
 * throughout); short (someone there throughout, but fewer than needed at some moment); uncovered (some hours
 * nobody is there, someone at others); empty (nobody at any moment).
 */
export type GapClass = 'closed' | 'full' | 'short' | 'uncovered' | 'empty';

export function gapClass(cell: { required: number; staffed: number; peak: number }): GapClass {
	if (cell.required === 0) return 'closed';
	if (cell.staffed >= cell.required) return 'full';
	if (cell.peak === 0) return 'empty';
	return cell.staffed === 0 ? 'uncovered' : 'short';
}

/** A cell's figures as read: "2/2", or "0–2/2" when the number there changes; the clock times nobody is. */
export interface CellReading {
	count: string;
	nobody: { from: string; to: string }[];
}

/** 2020-03-14T16:00:00+00:00 → "00:00" (China Standard Time, UTC+8 all year). */
export function chinaClock(iso: string): string {
	const t = Date.parse(iso);
	return new Date(t + 8 * 3600_000).toISOString().slice(11, 16);
}

export function cellReading(
	cell: Pick<RosterDayRow, 'required' | 'staffed' | 'peak' | 'uncovered'>
): CellReading {
	const people = cell.staffed === cell.peak ? `${cell.staffed}` : `${cell.staffed}–${cell.peak}`;
	return {
		count: `${people}/${cell.required}`,
		nobody:
			cell.peak === 0
				? []
				: cell.uncovered.map((u) => ({ from: chinaClock(u.starts), to: chinaClock(u.ends) }))
	};
}

/**
 * Who is at a checkpoint across a period, from the seats taken (each [start, end) in ms): the fewest and the
 * most at any one moment, the stretches nobody is there and the seat-hours short of `required`. The rule
 * private.cell_staffing applies in SQL (around the clock; the db test holds both to the same cells).
 */
export function staffingOver(
	period: readonly [number, number],
	seats: readonly (readonly [number, number])[],
	required: number
): {
	low: number;
	peak: number;
	uncovered: [number, number][];
	uncoveredHours: number;
	missingHours: number;
} {
	const [from, to] = period;
	if (!(to > from)) throw new Error('period must end after it starts');
	const clipped = seats
		.map(([a, b]) => [Math.max(a, from), Math.min(b, to)] as const)
		.filter(([a, b]) => b > a);
	const cuts = [...new Set([from, to, ...clipped.flat()])].sort((a, b) => a - b);
	let low = Infinity;
	let peak = 0;
	let missing = 0;
	const uncovered: [number, number][] = [];
	for (let i = 0; i + 1 < cuts.length; i++) {
		const [a, b] = [cuts[i], cuts[i + 1]];
		const n = clipped.filter(([s, e]) => s <= a && a < e).length;
		low = Math.min(low, n);
		peak = Math.max(peak, n);
		missing += (Math.max(required - n, 0) * (b - a)) / 3600_000;
		if (n === 0 && required > 0) {
			const last = uncovered.at(-1);
			if (last && last[1] === a) last[1] = b;
			else uncovered.push([a, b]);
		}
	}
	const uncoveredHours = uncovered.reduce((h, [a, b]) => h + (b - a) / 3600_000, 0);
	return { low, peak, uncovered, uncoveredHours, missingHours: missing };
}

export interface GridCheckpoint {
	id: number;
	name: string;
	kind: string;
	status: string;
	community_code: string;
	community_name: string;
	lon: number;
	lat: number;
	staff_required: number;
	/** one per slot, in slot order */
	cells: RosterDayRow[];
	/** the day's gap in seat-hours: the sum over its slots */
	gap: number;
}

export interface RosterGrid {
	slots: { slot: number; label: string; starts: string; ends: string }[];
	checkpoints: GridCheckpoint[];
	/** seat-hours needed and seat-hours short over every cell (a night half covered counts half) */
	requiredHours: number;
	missingHours: number;
	/** cells with hours nobody is there (uncovered or empty) */
	unstaffedCells: number;
}

/**
 * The gap grid: checkpoints (in the rows' order: community, then id) × slots.
 * @throws when a checkpoint lacks a cell for a slot (the function always returns the full cross product)
 */
export function rosterGrid(rows: readonly RosterDayRow[]): RosterGrid {
	const slots = new Map<number, RosterGrid['slots'][number]>();
	const byCheckpoint = new Map<number, GridCheckpoint>();
	let requiredHours = 0;
	let missingHours = 0;
	let unstaffedCells = 0;
	for (const r of rows) {
		if (!slots.has(r.slot))
			slots.set(r.slot, { slot: r.slot, label: r.slot_label, starts: r.starts, ends: r.ends });
		let cp = byCheckpoint.get(r.checkpoint_id);
		if (!cp) {
			cp = {
				id: r.checkpoint_id,
				name: r.checkpoint_name,
				kind: r.kind,
				status: r.checkpoint_status,
				community_code: r.community_code,
				community_name: r.community_name,
				lon: r.lon,
				lat: r.lat,
				staff_required: r.staff_required,
				cells: [],
				gap: 0
			};
			byCheckpoint.set(r.checkpoint_id, cp);
		}
		cp.cells.push(r);
		cp.gap += r.missing_hours;
		requiredHours += r.required_hours;
		missingHours += r.missing_hours;
		if (r.required > 0 && r.uncovered_hours > 0) unstaffedCells++;
	}
	const slotList = [...slots.values()].sort((a, b) => a.slot - b.slot);
	for (const cp of byCheckpoint.values()) {
		cp.cells.sort((a, b) => a.slot - b.slot);
		if (cp.cells.length !== slotList.length || cp.cells.some((c, i) => c.slot !== slotList[i].slot)) {
			throw new Error(`checkpoint ${cp.id} lacks a cell for some slot`);
		}
	}
	for (const cp of byCheckpoint.values()) cp.gap = round2(cp.gap);
	return {
		slots: slotList,
		checkpoints: [...byCheckpoint.values()],
		requiredHours: round2(requiredHours),
		missingHours: round2(missingHours),
		unstaffedCells
	};
}

function round2(x: number): number {
	return Math.round(x * 100) / 100;
}

/** Colours of the gap map and grid (the staffing colours of the coverage map, so both read alike). */
export const GAP_COLORS: Record<GapClass, string> = {
	full: '#1a9850',
	short: '#fdae61',
	uncovered: '#f46d43',
	empty: '#d7301f',
	closed: '#9e9e9e'
};
