/**
 * The street's checkpoint coverage as the commander edits it, in the browser: the reach model (reach.ts) kept
 * up to date per drag step, the catchments (catchments.ts) recomputed when a move ends, and suggestions
 * (suggest.ts) on request. Figures are `$state.raw` snapshots, so a drag redraws the panel once per frame.
 *
 *   const plan = new CoveragePlan(street, buildings, entrances);
 *   plan.reset(500, checkpoints);  plan.move(42, lon, lat);  plan.settle();  plan.suggest(3);
 */
import { circle, featureCollection } from '@turf/turf';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import type { Areal } from '$lib/spatial/areal';
import { catchments, type CatchmentProperties } from '$lib/spatial/catchments';
import {
	createReachModel,
	type PlaceId,
	type ReachBuilding,
	type ReachCheckpoint,
	type ReachEntrance,
	type ReachModel,
	type ReachSnapshot
} from '$lib/spatial/reach';
import { suggestCheckpoints, type Suggestion } from '$lib/spatial/suggest';

export class CoveragePlan {
	#model: ReachModel | null = null;
	#frame = 0;
	readonly street: Areal;
	readonly buildings: readonly ReachBuilding[];
	readonly entrances: readonly ReachEntrance[];

	/** The current figures (shares, uncovered mask, per checkpoint). */
	snapshot: ReachSnapshot | null = $state.raw(null);
	/** Each counted checkpoint's walking radius as a polygon. */
	circles: FeatureCollection<Polygon> = $state.raw(featureCollection([]));
	/** Voronoi cells clipped to the street; refreshed by settle(), not on every drag step. */
	cells: FeatureCollection<Areal, CatchmentProperties> = $state.raw(featureCollection([]));
	/** Milliseconds the last catchment computation took (shown for the curious, and read by tests). */
	cellsMs = $state(0);

	constructor(street: Areal, buildings: readonly ReachBuilding[], entrances: readonly ReachEntrance[]) {
		this.street = street;
		this.buildings = buildings;
		this.entrances = entrances;
	}

	get radius(): number {
		return this.#model?.radiusMeters ?? 0;
	}

	/** A new model for a radius and a set of checkpoints (a new radius needs a new model). */
	reset(radiusMeters: number, checkpoints: readonly ReachCheckpoint[]): void {
		this.#model = createReachModel({
			buildings: this.buildings,
			entrances: this.entrances,
			checkpoints,
			radiusMeters
		});
		this.#publish();
		this.settle();
	}

	has(id: PlaceId): boolean {
		return this.#model?.hasCheckpoint(id) ?? false;
	}

	add(checkpoint: ReachCheckpoint): void {
		this.#model?.addCheckpoint(checkpoint);
		this.#schedule();
	}

	remove(id: PlaceId): void {
		if (this.#model?.hasCheckpoint(id)) this.#model.removeCheckpoint(id);
		this.#schedule();
	}

	/** A drag step: only the buildings near the old and new places are touched; the panel redraws next frame. */
	move(id: PlaceId, lon: number, lat: number): void {
		if (!this.#model?.hasCheckpoint(id)) return;
		this.#model.moveCheckpoint(id, lon, lat);
		this.#schedule();
	}

	/** After a move ends: the figures now, and the catchments (about 15 ms for a street). */
	settle(): void {
		this.#publish();
		const started = performance.now();
		this.cells = catchments(this.street, this.#model?.checkpointList() ?? []);
		this.cellsMs = performance.now() - started;
	}

	/** Up to k new sites bringing the most households within reach, given the checkpoints counted now. */
	suggest(k: number): Suggestion[] {
		return this.#model ? suggestCheckpoints(this.#model, this.street, k) : [];
	}

	#schedule(): void {
		if (typeof requestAnimationFrame === 'undefined') return this.#publish();
		if (this.#frame) return;
		this.#frame = requestAnimationFrame(() => {
			this.#frame = 0;
			this.#publish();
		});
	}

	#publish(): void {
		const model = this.#model;
		if (!model) return;
		this.snapshot = model.snapshot();
		const radiusKm = model.radiusMeters / 1000;
		const features: Feature<Polygon>[] = model
			.checkpointList()
			.map((c) =>
				circle([c.lon, c.lat], radiusKm, { steps: 48, units: 'kilometers', properties: { id: c.id } })
			);
		this.circles = featureCollection(features);
	}
}
