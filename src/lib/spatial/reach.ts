import { planeAround, type LocalPlane } from './local-plane';
import { PointGrid } from './point-grid';

/*
 * Which buildings, households and market entrances of a street lie within a walking radius of a
 * checkpoint, kept up to date while the street commander adds, drags and closes checkpoints.
 *
 * "Within reach" is the straight-line distance, edge included: a proxy for the walking distance, which
 * would need a street network the project does not have. Distances are measured in a local equirectangular
 * plane around the middle of the buildings (see local-plane.ts): within a street, under 0.05 % from Turf's
 * haversine `distance` at Luzhou's latitude.
 *
 * Every building keeps a count of the checkpoints that reach it, and the buildings are bucketed in a grid
 * hash with cells half as wide as the radius, so moving a checkpoint touches only the buildings near its old
 * and new positions: microseconds for a street of thousands of buildings, where a full recount (every
 * building against every checkpoint) takes milliseconds.
 */

/** Ids as the database hands them out (bigint as number) or as a client names a draft (string). */
export type PlaceId = number | string;

export interface ReachBuilding {
	id: PlaceId;
	lon: number;
	lat: number;
	/** households living in the building: a non-negative integer */
	households: number;
}

export interface ReachEntrance {
	/** the market the entrance belongs to */
	market: PlaceId;
	lon: number;
	lat: number;
}

export interface ReachCheckpoint {
	id: PlaceId;
	lon: number;
	lat: number;
}

export interface ReachInput {
	buildings: readonly ReachBuilding[];
	entrances?: readonly ReachEntrance[];
	checkpoints?: readonly ReachCheckpoint[];
	/** the walking radius in metres (> 0); see {@link DEFAULT_REACH_RADIUS_M} */
	radiusMeters: number;
}

/** The radius the UI starts with: 500 m, a walk of six or seven minutes. */
export const DEFAULT_REACH_RADIUS_M = 500;

/** A count out of a total; `share` is covered / total, or null when the total is 0. */
export interface CoverageFigure {
	total: number;
	covered: number;
	share: number | null;
}

/** What one checkpoint reaches, whether or not another checkpoint reaches it too. */
export interface CheckpointReach {
	id: PlaceId;
	buildings: number;
	households: number;
}

export interface ReachSnapshot {
	radiusMeters: number;
	buildings: CoverageFigure;
	households: CoverageFigure;
	entrances: CoverageFigure;
	/** 1 for every building (in input order) that no checkpoint reaches, else 0 */
	uncovered: Uint8Array;
	/** in the order the checkpoints were added */
	checkpoints: CheckpointReach[];
}

/**
 * The model's arrays, for sibling modules (suggest.ts) that must read the coverage without copying it.
 * Read only: writing to them corrupts the model.
 */
export interface ReachView {
	plane: LocalPlane;
	radiusMeters: number;
	buildingIds: readonly PlaceId[];
	/** building positions as given, degrees */
	lon: Float64Array;
	lat: Float64Array;
	/** building positions in the plane, metres */
	bx: Float64Array;
	by: Float64Array;
	households: Float64Array;
	/** how many checkpoints reach each building */
	coverCount: Int32Array;
	buildingGrid: PointGrid;
}

interface CheckpointState extends CheckpointReach {
	lon: number;
	lat: number;
}

function checkPoint(what: string, p: { lon: number; lat: number }) {
	if (
		!p ||
		!Number.isFinite(p.lon) ||
		!Number.isFinite(p.lat) ||
		Math.abs(p.lon) > 180 ||
		Math.abs(p.lat) > 90
	) {
		throw new Error(`${what} needs a finite lon in [-180, 180] and lat in [-90, 90]`);
	}
}

/**
 * The coverage of a street's buildings and market entrances by its checkpoints, updated incrementally.
 * Create it with {@link createReachModel}; a new radius needs a new model.
 */
export class ReachModel {
	readonly radiusMeters: number;
	readonly plane: LocalPlane;
	private readonly buildingIds: PlaceId[];
	private readonly lon: Float64Array;
	private readonly lat: Float64Array;
	private readonly bx: Float64Array;
	private readonly by: Float64Array;
	private readonly hh: Float64Array;
	private readonly coverCount: Int32Array;
	private readonly buildingGrid: PointGrid;
	private readonly entranceCount: Int32Array;
	private readonly entranceGrid: PointGrid;
	private readonly totalHouseholds: number;
	private coveredBuildings = 0;
	private coveredHouseholds = 0;
	private coveredEntrances = 0;
	private readonly checkpoints: CheckpointState[] = [];
	private readonly checkpointIndex = new Map<PlaceId, number>();

	/** @internal use {@link createReachModel} */
	constructor(input: ReachInput) {
		if (!input || !Array.isArray(input.buildings)) throw new Error('buildings must be an array');
		const radius = input.radiusMeters;
		if (!(radius > 0) || !Number.isFinite(radius)) throw new Error('radiusMeters must be a positive number');
		const entrances = input.entrances ?? [];
		if (!Array.isArray(entrances)) throw new Error('entrances must be an array');
		const seen = new Set<PlaceId>();
		let total = 0;
		for (const b of input.buildings) {
			checkPoint(`building ${b?.id}`, b);
			if (seen.has(b.id)) throw new Error(`building id ${b.id} is repeated`);
			seen.add(b.id);
			if (!Number.isInteger(b.households) || b.households < 0) {
				throw new Error(`building ${b.id}: households must be a non-negative integer`);
			}
			total += b.households;
		}
		for (const e of entrances) checkPoint(`entrance of market ${e?.market}`, e);

		this.radiusMeters = radius;
		this.plane = planeAround(input.buildings.length > 0 ? input.buildings : entrances);
		const { lon0, lat0, kx, ky } = this.plane;
		const n = input.buildings.length;
		this.buildingIds = input.buildings.map((b) => b.id);
		this.lon = new Float64Array(n);
		this.lat = new Float64Array(n);
		this.bx = new Float64Array(n);
		this.by = new Float64Array(n);
		this.hh = new Float64Array(n);
		input.buildings.forEach((b, i) => {
			this.lon[i] = b.lon;
			this.lat[i] = b.lat;
			this.bx[i] = (b.lon - lon0) * kx;
			this.by[i] = (b.lat - lat0) * ky;
			this.hh[i] = b.households;
		});
		this.coverCount = new Int32Array(n);
		this.buildingGrid = new PointGrid(this.bx, this.by, radius / 2);
		this.totalHouseholds = total;
		const ex = new Float64Array(entrances.length);
		const ey = new Float64Array(entrances.length);
		entrances.forEach((e, i) => {
			ex[i] = (e.lon - lon0) * kx;
			ey[i] = (e.lat - lat0) * ky;
		});
		this.entranceCount = new Int32Array(entrances.length);
		this.entranceGrid = new PointGrid(ex, ey, radius / 2);
		for (const c of input.checkpoints ?? []) this.addCheckpoint(c);
	}

	/** Adds a checkpoint. @throws when its id is taken or its position is not a lon/lat */
	addCheckpoint(checkpoint: ReachCheckpoint): void {
		checkPoint(`checkpoint ${checkpoint?.id}`, checkpoint);
		if (this.checkpointIndex.has(checkpoint.id))
			throw new Error(`checkpoint id ${checkpoint.id} is repeated`);
		const state: CheckpointState = {
			id: checkpoint.id,
			lon: checkpoint.lon,
			lat: checkpoint.lat,
			buildings: 0,
			households: 0
		};
		this.checkpointIndex.set(checkpoint.id, this.checkpoints.length);
		this.checkpoints.push(state);
		this.apply(state, 1);
	}

	/** Moves a checkpoint (a drag step): only the buildings near its old and new positions are touched. */
	moveCheckpoint(id: PlaceId, lon: number, lat: number): void {
		const state = this.checkpoints[this.indexOf(id)];
		checkPoint(`checkpoint ${id}`, { lon, lat });
		this.apply(state, -1);
		state.lon = lon;
		state.lat = lat;
		this.apply(state, 1);
	}

	/** Removes (closes) a checkpoint. */
	removeCheckpoint(id: PlaceId): void {
		const index = this.indexOf(id);
		this.apply(this.checkpoints[index], -1);
		this.checkpoints.splice(index, 1);
		this.checkpointIndex.delete(id);
		for (let i = index; i < this.checkpoints.length; i++) this.checkpointIndex.set(this.checkpoints[i].id, i);
	}

	/** Whether a checkpoint with this id is in the model. */
	hasCheckpoint(id: PlaceId): boolean {
		return this.checkpointIndex.has(id);
	}

	private indexOf(id: PlaceId): number {
		const index = this.checkpointIndex.get(id);
		if (index === undefined) throw new Error(`no checkpoint ${id}`);
		return index;
	}

	/** Counts a checkpoint in (+1) or out (-1) of every building and entrance it reaches. */
	private apply(state: CheckpointState, sign: 1 | -1): void {
		const x = (state.lon - this.plane.lon0) * this.plane.kx;
		const y = (state.lat - this.plane.lat0) * this.plane.ky;
		const { coverCount, hh } = this;
		let buildings = 0;
		let households = 0;
		this.buildingGrid.forEachWithin(x, y, this.radiusMeters, (i) => {
			const before = coverCount[i];
			coverCount[i] = before + sign;
			buildings++;
			households += hh[i];
			if (sign > 0 && before === 0) {
				this.coveredBuildings++;
				this.coveredHouseholds += hh[i];
			} else if (sign < 0 && before === 1) {
				this.coveredBuildings--;
				this.coveredHouseholds -= hh[i];
			}
		});
		const { entranceCount } = this;
		this.entranceGrid.forEachWithin(x, y, this.radiusMeters, (i) => {
			const before = entranceCount[i];
			entranceCount[i] = before + sign;
			if (sign > 0 && before === 0) this.coveredEntrances++;
			else if (sign < 0 && before === 1) this.coveredEntrances--;
		});
		if (sign > 0) {
			state.buildings = buildings;
			state.households = households;
		}
	}

	/** The current figures, as fresh objects (safe to keep while the model changes). */
	snapshot(): ReachSnapshot {
		const n = this.coverCount.length;
		const uncovered = new Uint8Array(n);
		for (let i = 0; i < n; i++) if (this.coverCount[i] === 0) uncovered[i] = 1;
		return {
			radiusMeters: this.radiusMeters,
			buildings: figure(n, this.coveredBuildings),
			households: figure(this.totalHouseholds, this.coveredHouseholds),
			entrances: figure(this.entranceCount.length, this.coveredEntrances),
			uncovered,
			checkpoints: this.checkpoints.map(({ id, buildings, households }) => ({ id, buildings, households }))
		};
	}

	/** Ids of the buildings no checkpoint reaches, in input order (for highlighting them on the map). */
	uncoveredBuildingIds(): PlaceId[] {
		const out: PlaceId[] = [];
		for (let i = 0; i < this.coverCount.length; i++)
			if (this.coverCount[i] === 0) out.push(this.buildingIds[i]);
		return out;
	}

	/** The checkpoints as they stand now, in the order they were added. */
	checkpointList(): ReachCheckpoint[] {
		return this.checkpoints.map(({ id, lon, lat }) => ({ id, lon, lat }));
	}

	/** The model's own arrays, read only (see {@link ReachView}). */
	view(): ReachView {
		return {
			plane: this.plane,
			radiusMeters: this.radiusMeters,
			buildingIds: this.buildingIds,
			lon: this.lon,
			lat: this.lat,
			bx: this.bx,
			by: this.by,
			households: this.hh,
			coverCount: this.coverCount,
			buildingGrid: this.buildingGrid
		};
	}
}

function figure(total: number, covered: number): CoverageFigure {
	return { total, covered, share: total > 0 ? covered / total : null };
}

/**
 * A reach model for a street: build it once per street and radius, then call `moveCheckpoint`,
 * `addCheckpoint` and `removeCheckpoint` as the commander edits, and `snapshot()` to redraw.
 *
 * @throws when a position is not a lon/lat, an id repeats, households are not non-negative integers or
 *   the radius is not positive
 * @example
 * const model = createReachModel({ buildings, entrances, checkpoints, radiusMeters: 500 });
 * model.moveCheckpoint(42, 105.452, 28.881);
 * const { households, uncovered } = model.snapshot(); // households.share: 0.87
 */
export function createReachModel(input: ReachInput): ReachModel {
	return new ReachModel(input);
}

/**
 * The coverage of a street in one call (no model kept): for a one-off figure, such as a report.
 *
 * @example
 * computeReach({ buildings, checkpoints, radiusMeters: 300 }).buildings.share; // 0.64
 */
export function computeReach(input: ReachInput): ReachSnapshot {
	return new ReachModel(input).snapshot();
}
