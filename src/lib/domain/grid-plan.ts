/**
 * A community's grids as the secretary is about to save them (issue #5): every check the app makes before the
 * database is asked, and the building moves it will ask for. Pure, so the editor runs it on every change and
 * the tests run it on fixtures.
 *
 *   const plan = planGrids({ community, grids, buildings });
 *   if (plan.ok) save(plan.grids, plan.moves);   // else show plan.problems and plan.defects
 *
 * The checks, in order: grid codes (15 digits under the community, unique) and names; each grid's rings
 * (spatial/validate-rings: bowtie, unclosed, too few positions, ...; clockwise shells rewound); then, only when
 * every ring is valid, the tiling (spatial/tiling-defects: gaps, overlaps and overhangs over 1 m², with their
 * shapes and areas); then which grid holds each building (spatial/polygon-index, the rule the database applies
 * too). A building in no grid is reported; one in two cannot happen once overlaps are refused.
 */
import type { Position } from 'geojson';
import type { Areal } from '$lib/spatial/areal';
import { geometryBbox, type BBox } from '$lib/spatial/bbox';
import { labelPoint } from '$lib/spatial/label-point';
import { PolygonIndex } from '$lib/spatial/polygon-index';
import { deriveSeed, mulberry32 } from '$lib/spatial/random';
import { roundPosition } from '$lib/spatial/round';
import { tilingDefects, type TilingDefect } from '$lib/spatial/tiling-defects';
import { checkRings, type RingProblem } from '$lib/spatial/validate-rings';

export interface GridDraft {
	code: string;
	name: string;
	/** As drawn or imported: checked here, not trusted. */
	geometry: unknown;
	/** The label point stored now, kept when it still lies inside. */
	center?: Position | null;
}

export interface PlanBuilding {
	id: number;
	name: string;
	lon: number;
	lat: number;
	grid_code: string;
}

export interface PlanInput {
	community: { code: string; geometry: Areal };
	grids: GridDraft[];
	buildings: PlanBuilding[];
}

/** A grid ready to save: checked geometry (rewound where needed), bbox and a label point inside it. */
export interface PlannedGrid {
	code: string;
	name: string;
	geometry: Areal;
	bbox: BBox;
	center: Position;
	buildings: number;
}

export type PlanProblem =
	| { kind: 'no_grids' }
	| { kind: 'code_invalid'; code: string }
	| { kind: 'code_duplicate'; code: string }
	| { kind: 'name_invalid'; code: string }
	| { kind: 'ring'; code: string; problem: RingProblem }
	| { kind: 'building_outside'; building: number; name: string };

export interface BuildingMove {
	building_id: number;
	name: string;
	from: string;
	grid_code: string;
}

export interface GridPlan {
	ok: boolean;
	problems: PlanProblem[];
	defects: TilingDefect[];
	/** The grids (only when every geometry is valid; empty otherwise). */
	grids: PlannedGrid[];
	/** Buildings whose grid changes. */
	moves: BuildingMove[];
	/** Clockwise rings turned the right way round (RFC 7946), over all grids. */
	rewound: number;
}

const CODE_DIGITS = /^[0-9]{15}$/;

/** The next free grid code under a community: 001, 002, ... after the highest in use. */
export function nextGridCode(community: string, codes: readonly string[]): string {
	const used = codes.filter((c) => c.startsWith(community)).map((c) => Number(c.slice(12)));
	const next = (used.length ? Math.max(...used) : 0) + 1;
	if (next > 999) throw new Error('no grid code left under this community');
	return community + String(next).padStart(3, '0');
}

/** Checks a community's grids as drafted and works out the building moves; see the module comment. */
export function planGrids(input: PlanInput): GridPlan {
	const { community, grids, buildings } = input;
	const problems: PlanProblem[] = [];
	if (grids.length === 0) problems.push({ kind: 'no_grids' });

	const seen = new Set<string>();
	for (const g of grids) {
		if (!CODE_DIGITS.test(g.code) || !g.code.startsWith(community.code))
			problems.push({ kind: 'code_invalid', code: g.code });
		else if (seen.has(g.code)) problems.push({ kind: 'code_duplicate', code: g.code });
		seen.add(g.code);
		const name = g.name.trim();
		if (name.length < 1 || name.length > 60) problems.push({ kind: 'name_invalid', code: g.code });
	}

	let rewound = 0;
	const checked = grids.map((g) => {
		const check = checkRings(g.geometry);
		rewound += check.rewound;
		for (const problem of check.problems) problems.push({ kind: 'ring', code: g.code, problem });
		return check.geometry;
	});
	if (checked.some((g) => g === null) || grids.length === 0)
		return { ok: false, problems, defects: [], grids: [], moves: [], rewound };
	const geometries = checked as Areal[];

	const defects = tilingDefects(community.geometry, geometries);

	const index = PolygonIndex.from(geometries);
	const counts = new Array<number>(grids.length).fill(0);
	const moves: BuildingMove[] = [];
	for (const b of buildings) {
		const at = index.locate(b.lon, b.lat);
		if (at < 0) {
			problems.push({ kind: 'building_outside', building: b.id, name: b.name });
			continue;
		}
		counts[at]++;
		if (grids[at].code !== b.grid_code)
			moves.push({ building_id: b.id, name: b.name, from: b.grid_code, grid_code: grids[at].code });
	}

	const planned = grids.map((g, i): PlannedGrid => {
		const geometry = geometries[i];
		const bbox = geometryBbox(geometry);
		const fallback = g.center ?? [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2];
		return {
			code: g.code,
			name: g.name.trim(),
			geometry,
			bbox,
			center: labelPoint(geometry, fallback, {
				marginMeters: 0.5,
				snap: (p) => roundPosition(p),
				rng: mulberry32(deriveSeed(1, g.code))
			}),
			buildings: counts[i]
		};
	});
	return {
		ok: problems.length === 0 && defects.length === 0,
		problems,
		defects,
		grids: planned,
		moves,
		rewound
	};
}
