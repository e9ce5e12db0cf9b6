/**
 * Routes a point (a lead clicked on the map, a building's address) to the grid holding it, with one
 * PolygonIndex over the community's grids: the same boundary rule as every other assignment in the app, so a
 * point on the line between two grids lands in exactly one (the one east of it). The database checks the
 * result again (private.point_in_area in the leads trigger).
 *
 *   const router = GridRouter.from(grids);   // [{ code, name, geometry }]
 *   router.locate(105.4793, 28.9030);        // { code: '510502001006001', name: '第1网格' } or null
 */
import type { Geometry } from 'geojson';
import { isAreal, type Areal } from './areal';
import { PolygonIndex } from './polygon-index';

export interface RoutableGrid {
	code: string;
	name: string;
	geometry: Geometry | null;
}

export class GridRouter {
	readonly #grids: { code: string; name: string }[];
	readonly #index: PolygonIndex;

	private constructor(grids: { code: string; name: string }[], index: PolygonIndex) {
		this.#grids = grids;
		this.#index = index;
	}

	/** Grids without an areal boundary are left out (nothing can be routed to them). */
	static from(grids: readonly RoutableGrid[]): GridRouter {
		const areal = grids.filter((g) => isAreal(g.geometry));
		return new GridRouter(
			areal.map((g) => ({ code: g.code, name: g.name })),
			PolygonIndex.from(areal.map((g) => g.geometry as Areal))
		);
	}

	get size(): number {
		return this.#grids.length;
	}

	/** The grid holding (lon, lat), or null when none does. */
	locate(lon: number, lat: number): { code: string; name: string } | null {
		const i = this.#index.locate(lon, lat);
		return i >= 0 ? this.#grids[i] : null;
	}
}
