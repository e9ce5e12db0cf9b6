/** The response period the demo data covers (Luzhou, 2020), and date handling for "as of" views. */
export const RESPONSE_START = '2020-01-24';
export const RESPONSE_END = '2020-03-15';

/** A YYYY-MM-DD date inside the response period, or null. */
export function parseResponseDate(value: string | null | undefined): string | null {
	if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
	const d = new Date(`${value}T00:00:00Z`);
	if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) return null;
	return value >= RESPONSE_START && value <= RESPONSE_END ? value : null;
}

/** A screening round as the app shows it. */
export interface Round {
	id: number;
	name: string;
	starts_on: string;
	ends_on: string;
}
