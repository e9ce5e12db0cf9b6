/**
 * The administrative hierarchy by code: 5105 › 510502 › 510502001 › 510502001006 › 510502001006001.
 * A unit's code starts with its parent's code, so "everything under my unit" is a prefix test.
 */
export type UnitLevel = 'city' | 'district' | 'street' | 'community' | 'grid';

export const LEVEL_CODE_LENGTH: Record<UnitLevel, number> = {
	city: 4,
	district: 6,
	street: 9,
	community: 12,
	grid: 15
};

const LEVELS: UnitLevel[] = ['city', 'district', 'street', 'community', 'grid'];

/** The level of a unit code, or null when the code is not a unit code (wrong length or not digits). */
export function levelOfCode(code: string): UnitLevel | null {
	if (!/^[0-9]+$/.test(code)) return null;
	return LEVELS.find((level) => LEVEL_CODE_LENGTH[level] === code.length) ?? null;
}

/** The level below `level`, or null for a grid (households hang off buildings, not units). */
export function childLevel(level: UnitLevel): UnitLevel | null {
	return LEVELS[LEVELS.indexOf(level) + 1] ?? null;
}

/** Codes of the unit's ancestors, the city first, the unit itself last. */
export function ancestorCodes(code: string): string[] {
	if (levelOfCode(code) === null) throw new Error(`not a unit code: ${code}`);
	return LEVELS.map((level) => LEVEL_CODE_LENGTH[level])
		.filter((length) => length <= code.length)
		.map((length) => code.slice(0, length));
}

/** True when `code` is `scope` or lies under it. An invalid scope contains nothing. */
export function isWithin(code: string, scope: string): boolean {
	return levelOfCode(scope) !== null && levelOfCode(code) !== null && code.startsWith(scope);
}
