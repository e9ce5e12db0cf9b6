/**
 * Checkpoint planning's pure parts: a checkpoint form read and checked (the same rules as the table's CHECKs,
 * said in Chinese before anything is sent), and where a point lies among the street's communities.
 *
 *   readCheckpointForm(formData) → { values: { name, kind, staff_required, open_from, open_until } }
 *   locateCommunity(communities, lon, lat) → '510502001006' | null (outside every community: outside the street)
 */
import type { Areal } from '$lib/spatial/areal';
import { containsPoint } from '$lib/spatial/polygon-index';
import { CHECKPOINT_KINDS, type CheckpointKind } from './map-features';

export interface CheckpointValues {
	name: string;
	kind: CheckpointKind;
	staff_required: number;
	/** HH:MM; equal to open_until means around the clock */
	open_from: string;
	open_until: string;
}

export type CheckpointField = keyof CheckpointValues;

/** A form's fields as strings (FormData or a plain object). */
export interface FieldSource {
	get(name: string): FormDataEntryValue | null;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Reads the checkpoint fields of a form. Hours come as HH:MM (what <input type="time"> sends); staff as a
 * whole number from 1 to 50 (the table's CHECK).
 */
export function readCheckpointForm(
	form: FieldSource
): { values: CheckpointValues } | { errors: Partial<Record<CheckpointField, string>> } {
	const errors: Partial<Record<CheckpointField, string>> = {};
	const str = (k: string) => String(form.get(k) ?? '').trim();
	const name = str('name');
	if (!name) errors.name = '请填写名称';
	else if ([...name].length > 60) errors.name = '名称不能超过60个字';
	const kind = str('kind');
	if (!(CHECKPOINT_KINDS as readonly string[]).includes(kind)) errors.kind = '请选择类型';
	const staffText = str('staff_required');
	const staff = Number(staffText);
	if (!/^\d+$/.test(staffText) || staff < 1 || staff > 50) errors.staff_required = '每班人数须为1到50的整数';
	const from = str('open_from').slice(0, 5) || '00:00';
	const until = str('open_until').slice(0, 5) || '00:00';
	if (!HHMM.test(from)) errors.open_from = '开始时间格式应为 08:00';
	if (!HHMM.test(until)) errors.open_until = '结束时间格式应为 20:00';
	if (Object.keys(errors).length > 0) return { errors };
	return {
		values: { name, kind: kind as CheckpointKind, staff_required: staff, open_from: from, open_until: until }
	};
}

/** Reads a longitude and latitude from a form; null unless both are finite and in range. */
export function readPoint(form: FieldSource): { lon: number; lat: number } | null {
	const lon = Number(form.get('lon'));
	const lat = Number(form.get('lat'));
	if (String(form.get('lon') ?? '').trim() === '' || String(form.get('lat') ?? '').trim() === '') return null;
	return Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90
		? { lon, lat }
		: null;
}

/** The community (of those given, the street's) whose boundary holds the point, or null for none. */
export function locateCommunity(
	communities: readonly { code: string; geometry: Areal | null }[],
	lon: number,
	lat: number
): string | null {
	for (const c of communities) if (c.geometry && containsPoint(c.geometry, lon, lat)) return c.code;
	return null;
}

/** "08:00–20:00", or 全天 for around the clock. */
export function formatHours(from: string, until: string): string {
	const f = from.slice(0, 5);
	const u = until.slice(0, 5);
	return f === u ? '全天' : `${f}–${u}`;
}
