/**
 * Who may give whom which role where (issue #16), as the people screen offers it. The database decides
 * (private.check_grant in …1208000600_people.sql); this mirrors it so a screen offers only what will be accepted.
 *
 *   grantableRoles('commander')               → ['commander', 'secretary', 'volunteer']
 *   roleFitsLevel('secretary', 'community')   → true
 */
import type { Role } from './roles';
import type { UnitLevel } from './units';

/** Nobody grants above their own rank. */
export const ROLE_RANK: Record<Role, number> = {
	volunteer: 1,
	secretary: 2,
	commander: 3,
	leader: 4,
	admin: 5
};

/** Who manages people: administrators, street commanders, community secretaries. */
export const PEOPLE_MANAGERS: readonly Role[] = ['admin', 'commander', 'secretary'];

const GRANTS: Record<Role, readonly Role[]> = {
	admin: ['admin', 'leader', 'commander', 'secretary', 'volunteer'],
	commander: ['commander', 'secretary', 'volunteer'],
	secretary: ['secretary', 'volunteer'],
	leader: [],
	volunteer: []
};

/** The roles a member of `role` may give. */
export function grantableRoles(role: Role): readonly Role[] {
	return GRANTS[role];
}

/** Whether a role goes with a unit of this level. */
export function roleFitsLevel(role: Role, level: UnitLevel): boolean {
	switch (role) {
		case 'admin':
			return level !== 'grid';
		case 'leader':
			return level === 'city' || level === 'district';
		case 'commander':
			return level === 'street';
		case 'secretary':
		case 'volunteer':
			return level === 'community';
	}
}

/** A password people may choose: at least 8 characters, and not their phone number. */
export function passwordProblem(password: string, phone = ''): 'too_short' | 'is_phone' | null {
	if (password.length < 8) return 'too_short';
	if (phone && password.replace(/\D/g, '') === phone.replace(/\D/g, '') && /^\d+$/.test(password))
		return 'is_phone';
	return null;
}

// No 0/O, 1/l/I: read off a screen and typed on a phone.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A one-time password of 12 characters from `random` (crypto.getRandomValues in the app). */
export function oneTimePassword(random: (n: number) => Uint32Array): string {
	return Array.from(random(12), (r) => ALPHABET[r % ALPHABET.length]).join('');
}
