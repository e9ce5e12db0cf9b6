import { describe, expect, it } from 'vitest';
import { grantableRoles, oneTimePassword, passwordProblem, roleFitsLevel, ROLE_RANK } from './people';

describe('grants', () => {
	it('never offers a role above the granter’s own', () => {
		for (const role of ['admin', 'commander', 'secretary', 'leader', 'volunteer'] as const)
			for (const g of grantableRoles(role)) expect(ROLE_RANK[g]).toBeLessThanOrEqual(ROLE_RANK[role]);
		expect(grantableRoles('secretary')).toEqual(['secretary', 'volunteer']);
		expect(grantableRoles('leader')).toEqual([]);
	});

	it('gives each role units of its level', () => {
		expect(roleFitsLevel('commander', 'street')).toBe(true);
		expect(roleFitsLevel('commander', 'community')).toBe(false);
		expect(roleFitsLevel('leader', 'district')).toBe(true);
		expect(roleFitsLevel('admin', 'grid')).toBe(false);
	});
});

describe('passwords', () => {
	it('wants 8 characters and not the phone number', () => {
		expect(passwordProblem('short')).toBe('too_short');
		expect(passwordProblem('13812345678', '138 1234 5678')).toBe('is_phone');
		expect(passwordProblem('a-longer-one', '13812345678')).toBeNull();
	});

	it('makes one-time passwords without look-alike characters', () => {
		const p = oneTimePassword((n) => Uint32Array.from({ length: n }, (_, i) => i * 7));
		expect(p).toHaveLength(12);
		expect(p).not.toMatch(/[0O1lI]/);
	});
});
