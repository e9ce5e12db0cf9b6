/** Reasons and kinds of the grid screens in the user's language (message functions picked by key). */
import { formatNumber } from '$lib/domain/coverage';
import type { PlanProblem } from '$lib/domain/grid-plan';
import { m } from '$lib/paraglide/messages';
import type { RingProblemKind } from '$lib/spatial/validate-rings';

const RING: Record<RingProblemKind, () => string> = {
	not_areal: m.grids_ring_not_areal,
	bad_position: m.grids_ring_bad_position,
	unclosed: m.grids_ring_unclosed,
	too_few_positions: m.grids_ring_too_few_positions,
	zero_area: m.grids_ring_zero_area,
	self_intersection: m.grids_ring_self_intersection,
	rings_cross: m.grids_ring_rings_cross,
	hole_outside: m.grids_ring_hole_outside
};

/** One problem of a plan as a sentence, naming the grid by its name where it has one. */
export function problemText(p: PlanProblem, nameOf: (code: string) => string): string {
	switch (p.kind) {
		case 'no_grids':
			return m.grids_error_grids_empty();
		case 'code_invalid':
			return m.grids_problem_code_invalid({ code: p.code });
		case 'code_duplicate':
			return m.grids_problem_code_duplicate({ code: p.code });
		case 'name_invalid':
			return m.grids_problem_name_invalid({ code: p.code });
		case 'ring':
			return `${nameOf(p.code)}：${RING[p.problem.kind]()}`;
		case 'building_outside':
			return m.grids_problem_building_outside({ name: p.name });
	}
}

/** Square metres as people read them: 812 m², 1.2 万 m² (zh) / 12,000 m² (en). */
export function areaText(m2: number): string {
	return `${formatNumber(Math.round(m2))} m²`;
}

const KINDS: Record<string, () => string> = {
	volunteer: m.grids_kind_volunteer,
	grid_worker: m.grids_kind_grid_worker,
	social_worker: m.grids_kind_social_worker,
	medical: m.grids_kind_medical,
	party_member: m.grids_kind_party_member
};
export const personKindLabel = (k: string): string => (KINDS[k] ?? KINDS.volunteer)();

/** Grid colours, by position in the code order: distinguishable, and readable under black labels. */
export const GRID_COLORS = [
	'#4e79a7',
	'#f28e2b',
	'#59a14f',
	'#b07aa1',
	'#edc948',
	'#76b7b2',
	'#ff9da7',
	'#9c755f',
	'#bab0ac',
	'#e15759'
];
