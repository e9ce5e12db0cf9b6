/**
 * Times as the screens show them: China Standard Time whatever the device's zone, since a worker's "09:30" and
 * the database's days (Asia/Shanghai) must agree.
 *
 *   formatShanghai('2020-03-12T01:06:00Z')          → '03-12 09:06'
 *   formatShanghai('2020-03-12T01:06:00Z', 'date')  → '2020-03-12'
 *   shanghaiDay(new Date('2026-11-29T17:00:00Z'))   → '2026-11-30'
 */
const OFFSET_MS = 8 * 3600_000;

function parts(iso: string | number | Date): string | null {
	const t = typeof iso === 'number' ? iso : iso instanceof Date ? iso.getTime() : Date.parse(iso);
	if (Number.isNaN(t)) return null;
	// China has kept UTC+8 without daylight saving since 1991: a fixed offset is exact for these dates.
	return new Date(t + OFFSET_MS).toISOString();
}

export function formatShanghai(
	iso: string | number | Date | null | undefined,
	style: 'short' | 'date' | 'datetime' | 'time' = 'short'
): string {
	if (iso === null || iso === undefined) return '—';
	const s = parts(iso);
	if (!s) return '—';
	const date = s.slice(0, 10);
	const time = s.slice(11, 16);
	if (style === 'date') return date;
	if (style === 'time') return time;
	if (style === 'datetime') return `${date} ${time}`;
	return `${date.slice(5)} ${time}`;
}

/** The calendar day (YYYY-MM-DD) in China of an instant. */
export function shanghaiDay(at: string | number | Date): string {
	return parts(at)?.slice(0, 10) ?? '';
}

/** A local date and time typed in a form (YYYY-MM-DDTHH:MM, China time) as an ISO instant, or null. */
export function fromShanghaiLocal(value: string): string | null {
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
	const t = Date.parse(`${value}:00+08:00`);
	return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** An instant as a datetime-local value in China time. */
export function toShanghaiLocal(at: string | number | Date): string {
	return parts(at)?.slice(0, 16) ?? '';
}
