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

/** The community a code lies in (its first 12 digits), or null for a code above the community level. */
export function communityOf(code: string): string | null {
	return code.length >= LEVEL_CODE_LENGTH.community ? code.slice(0, LEVEL_CODE_LENGTH.community) : null;
}

/**
 * A place (building, household, grid, lead) as a reader looking from `viewer` tells it apart: above the community
 * level every community has its 1号楼 and its 第1网格, so the community's name comes first.
 *
 *   placeLabel('510502001', '510502001006001', '1号楼', names)     → '白招牌社区 · 1号楼'
 *   placeLabel('510502001006', '510502001006001', '1号楼', names)  → '1号楼'
 *
 * `names`: community names by code (a missing one leaves the label as it is rather than print a code);
 * `separator`: between the two (a map label puts them on two lines).
 */
export function placeLabel(
	viewer: string,
	code: string,
	label: string,
	names: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
	separator = ' · '
): string {
	if (viewer.length >= LEVEL_CODE_LENGTH.community) return label;
	const community = communityOf(code);
	if (!community) return label;
	const name = names instanceof Map ? names.get(community) : (names as Record<string, string>)[community];
	return name ? `${name}${separator}${label}` : label;
}
