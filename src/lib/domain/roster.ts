/**
 * The roster page's pure parts: shift slots as people type them ("08-12, 12-16, 16-20, 20-08"), days, and
 * the gap grid shaped from `public.roster_day` rows (one per checkpoint × slot).
 *
 *   parseSlots('08-12,12-16,16-20,20-08') → { slots: [{ from: '08:00', to: '12:00', label: '08-12' }, ...] }
 *   rosterGrid(rows) → { slots: [...], checkpoints: [{ id, name, cells: [...] }] }
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

const TIME = /^([01]?\d|2[0-3])(?::([0-5]\d))?$/;

function time(text: string): string | null {
	const m = TIME.exec(text.trim());
	if (!m) return null;
	return `${m[1].padStart(2, '0')}:${m[2] ?? '00'}`;
}

/**
 * Reads slots from text: comma-separated (also 、，; or new lines) ranges `HH[:MM]-HH[:MM]` (also – — ~ 至).
 * A range whose end is not after its start runs past midnight (20-08). Labels are the text as typed,
 * normalised to `08-12` / `08:30-12:00`.
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
		const to = time(parts[1]);
		if (!from || !to || from === to) return { error: piece };
		const short = (t: string) => (t.endsWith(':00') ? t.slice(0, 2) : t);
		slots.push({ from, to, label: `${short(from)}-${short(to)}` });
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
	staffed: number;
	assigned: number;
	gap: number;
	volunteers: CellVolunteer[] | null;
}

/** How a cell reads on the gap map: not needed (required 0), full, short (some staff), empty. */
export type GapClass = 'closed' | 'full' | 'short' | 'empty';

export function gapClass(cell: { required: number; staffed: number }): GapClass {
	if (cell.required === 0) return 'closed';
	if (cell.staffed >= cell.required) return 'full';
	return cell.staffed === 0 ? 'empty' : 'short';
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
	/** the day's gap: the sum over its slots */
	gap: number;
}

export interface RosterGrid {
	slots: { slot: number; label: string; starts: string; ends: string }[];
	checkpoints: GridCheckpoint[];
	/** seats required and seats staffed throughout, over every cell */
	required: number;
	staffed: number;
}

/**
 * The gap grid: checkpoints (in the rows' order: community, then id) × slots.
 * @throws when a checkpoint lacks a cell for a slot (the function always returns the full cross product)
 */
export function rosterGrid(rows: readonly RosterDayRow[]): RosterGrid {
	const slots = new Map<number, RosterGrid['slots'][number]>();
	const byCheckpoint = new Map<number, GridCheckpoint>();
	let required = 0;
	let staffed = 0;
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
		cp.gap += r.gap;
		required += r.required;
		staffed += Math.min(r.staffed, r.required);
	}
	const slotList = [...slots.values()].sort((a, b) => a.slot - b.slot);
	for (const cp of byCheckpoint.values()) {
		cp.cells.sort((a, b) => a.slot - b.slot);
		if (cp.cells.length !== slotList.length || cp.cells.some((c, i) => c.slot !== slotList[i].slot)) {
			throw new Error(`checkpoint ${cp.id} lacks a cell for some slot`);
		}
	}
	return { slots: slotList, checkpoints: [...byCheckpoint.values()], required, staffed };
}

/** Colours of the gap map and grid (the staffing colours of the coverage map, so both read alike). */
export const GAP_COLORS: Record<GapClass, string> = {
	full: '#1a9850',
	short: '#fdae61',
	empty: '#d7301f',
	closed: '#9e9e9e'
};
