/** Words for roster values, in the user's language. */
import { m } from '$lib/paraglide/messages';

const STATUS: Record<string, () => string> = {
	planned: m.roster_status_planned,
	done: m.roster_status_done,
	cancelled: m.roster_status_cancelled,
	no_show: m.roster_status_no_show
};
export const shiftStatusLabel = (s: string): string => STATUS[s]?.() ?? s;

/** An instant as a China Standard Time clock reading: 06-02 08:00. */
export function chinaTime(iso: string): string {
	// Postgres writes "2020-03-14 08:00:00+00" in ranges: made ISO 8601 first.
	const t = Date.parse(
		iso
			.trim()
			.replace(' ', 'T')
			.replace(/([+-]\d\d)$/, '$1:00')
	);
	return new Date(t + 8 * 3600_000).toISOString().slice(5, 16).replace('T', ' ');
}
