import { isAreal, polygonsOf, type Areal } from './areal';

/*
 * Point-in-polygon assignment at city scale: which of many polygons (grids, communities, any level of
 * units) holds each of many points (buildings, households, leads).
 *
 * The boundary rule. A point belongs to a polygon when a ray from it towards +x (east) crosses the
 * polygon's edges an odd number of times, an edge counting when `y0 <= y < y1` (its lower end included,
 * its upper end not; horizontal edges never count) and its crossing lies strictly east of the point.
 * That is the point-in-polygon answer for the point moved an infinitesimal step east and a far smaller
 * step north, so every point of the plane has a definite answer and, in a tiling, a point on a shared
 * edge or a shared vertex belongs to exactly one polygon. For a box it means [x0, x1) × [y0, y1): the
 * west and south sides are inside, the east and north sides (and the corners they touch) outside; on a
 * shared edge the point goes to the polygon east of it (north of it when the edge is horizontal).
 * Holes and MultiPolygons follow from the same count (even-odd over all rings of the polygon).
 *
 * Exactness. The crossing of an edge is computed from its lower end (x0, y0) and upper end (x1, y1) as
 * `x0 + (y - y0) * ((x1 - x0) / (y1 - y0))`, whichever way round the ring runs: two polygons sharing an
 * edge (the same two vertices) compute bit-identical crossings, so a point on it lands on exactly one
 * side, never both or neither. Around a shared vertex the crossings of its edges come out in the order
 * of their slopes (every step is a correctly rounded, monotone operation, and the differences of nearby
 * coordinates are exact), so the answers stay consistent there too. The index answers exactly as
 * {@link containsPoint} does, polygon by polygon: it only leaves out edges that no ray from the point's
 * cell can cross.
 *
 * The structure. A uniform grid over the polygons' bbox. A cell that no edge touches records the polygon
 * holding all of it (or none): a point there costs a multiply, a floor and one array read. A cell that
 * edges cross lists its candidate polygons, each with only the edges its ray can meet there: those in
 * the cell's row band east of the cell's west side, as runs of the polygon's own vertex array. Where
 * every point of the cell is known to lie in some polygon (no edge of the outer boundary touches it),
 * the last candidate is the answer when the others fail, untested. A cell with too many edges holds a
 * finer grid of its own. Everything lives in typed arrays, small enough to stay in the CPU's caches.
 */

/** Tuning, measured on 12,000 city grids and 200,000 buildings (scripts/bench/spatial.ts). */
const TUNE = {
	/** Root cells per edge of the input; the grid refines itself where edges crowd. */
	rootCellsPerEdge: 4,
	maxRootCells: 1 << 22,
	/** A cell whose candidates' edges number more than this gets a finer grid of its own. */
	maxLeafEdges: 16,
	/** Finer grids are at most this many levels deep. */
	maxDepth: 6,
	/** Runs of a polygon's edges are merged across gaps of up to this many edges. */
	maxRunGap: 2
};

/** Options for {@link PolygonIndex.from}; the defaults suit city grids (see TUNE). */
export interface PolygonIndexOptions {
	/** Root grid cells per input edge (default 4); the grid refines itself where edges crowd. */
	rootCellsPerEdge?: number;
	/** Split a cell when its candidates' edges number more than this (default 16). */
	maxLeafEdges?: number;
}

/** Sizes of a built index, for benchmarks and curiosity. */
export interface PolygonIndexStats {
	polygons: number;
	edges: number;
	/** grids: the root and every finer grid */
	grids: number;
	cells: number;
	/** cells that need a ray cast (the others answer with one array read) */
	mixedCells: number;
	/** bytes held by the typed arrays */
	bytes: number;
}

/**
 * Whether `geometry` holds the point (lon, lat) under the boundary rule of {@link PolygonIndex} (a point
 * on an edge belongs to the polygon east of it, or north of a horizontal edge). For one-off tests; the
 * index gives the same answers polygon by polygon, many times faster.
 *
 * @example
 * containsPoint(box(0, 0, 1, 1), 0, 0.5); // true: the west side is inside
 * containsPoint(box(0, 0, 1, 1), 1, 0.5); // false: the east side is not
 */
export function containsPoint(geometry: Areal, lon: number, lat: number): boolean {
	if (!isAreal(geometry)) throw new Error('geometry must be a Polygon or MultiPolygon');
	let inside = false;
	for (const rings of polygonsOf(geometry)) {
		for (const ring of rings) {
			const n = ring.length;
			for (let i = 0; i < n; i++) {
				const a = ring[i];
				const b = ring[i + 1 < n ? i + 1 : 0]; // closes the ring; a closed ring adds an empty edge
				if (crosses(a[0], a[1], b[0], b[1], lon, lat)) inside = !inside;
			}
		}
	}
	return inside;
}

/** Whether the ray east from (px, py) crosses the edge a-b, by the rule above. */
function crosses(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
	if (ay <= py === by <= py) return false; // not lower <= py < upper, or horizontal
	return ay < by
		? px < ax + (py - ay) * ((bx - ax) / (by - ay))
		: px < bx + (py - by) * ((ax - bx) / (ay - by));
}

/** Cell of coordinate `v` in a grid row or column: floor((v - origin) * inverseSize), clamped to [0, n). */
function cellOf(v: number, origin: number, inverseSize: number, n: number): number {
	const t = (v - origin) * inverseSize;
	return t < 0 ? 0 : t >= n ? n - 1 : Math.floor(t);
}

/** Header of a grid in {@link IndexArrays.grids}: x0, y0, 1 / cell width, 1 / cell height, nx, ny, first cell. */
const GRID_STRIDE = 8;

/** Everything the lookup reads. */
interface IndexArrays {
	/** bbox of all vertices; points outside it are outside every polygon */
	minX: number;
	minY: number;
	maxX: number;
	maxY: number;
	/** the root grid's header (its cells come first in `cells`) */
	x0: number;
	y0: number;
	invW: number;
	invH: number;
	nx: number;
	ny: number;
	/** every grid's header, GRID_STRIDE numbers each */
	grids: Float64Array;
	/**
	 * Per cell: a polygon (>= 0) that holds the whole cell, -1 for none, or -2 - k: a mixed cell whose
	 * leaf starts at `leaves[k >> 1]` (k even), or a finer grid numbered `k >> 1` (k odd).
	 */
	cells: Int32Array;
	/**
	 * Leaves: how many runs to test, the answer when none holds the point, then per run the polygon and
	 * the range [from, to) of edges (by first vertex in `vertices`). Runs come by polygon, polygons in
	 * ascending order; the point is in a polygon when its runs' crossings add up odd.
	 */
	leaves: Int32Array;
	/** every ring's vertices, x and y interleaved; an edge is a vertex and the next one of its ring */
	vertices: Float64Array;
}

/**
 * A point-location index over a set of polygons: which polygon holds a point, for one point or millions.
 * Answers follow the boundary rule described at the top of this file (a point on a shared edge or
 * vertex of a tiling lands in exactly one polygon; a box is [x0, x1) × [y0, y1)). Where polygons
 * overlap, the one earliest in the input wins.
 *
 * Coordinates are taken as planar (lon, lat degrees for the app's units); nothing is projected.
 *
 * @example
 * const index = PolygonIndex.from(grids.map((g) => g.geometry));
 * index.locate(105.44, 28.88); // the position in `grids` of the grid holding the point, or -1
 * index.locateAll(new Float64Array([105.44, 28.88, 105.45, 28.87])); // Int32Array [i, j]
 */
export class PolygonIndex {
	readonly #a: IndexArrays;
	readonly #stats: PolygonIndexStats;

	private constructor(arrays: IndexArrays, stats: PolygonIndexStats) {
		this.#a = arrays;
		this.#stats = stats;
	}

	/**
	 * Builds the index. Rings need not be closed (the closing edge is implied); every ring of a polygon
	 * counts (even-odd), so holes and the parts of a MultiPolygon need no special treatment.
	 *
	 * @param polygons Polygons or MultiPolygons; answers are positions in this array
	 * @throws when an entry is not a Polygon or MultiPolygon, or has a coordinate that is not finite
	 */
	static from(polygons: readonly Areal[], options: PolygonIndexOptions = {}): PolygonIndex {
		if (!Array.isArray(polygons)) throw new Error('polygons must be an array');
		const rootCellsPerEdge = options.rootCellsPerEdge ?? TUNE.rootCellsPerEdge;
		const maxLeafEdges = options.maxLeafEdges ?? TUNE.maxLeafEdges;
		if (!(rootCellsPerEdge > 0)) throw new Error('rootCellsPerEdge must be > 0');
		if (!(maxLeafEdges >= 1)) throw new Error('maxLeafEdges must be >= 1');
		const { arrays, stats } = new Builder(polygons, rootCellsPerEdge, maxLeafEdges).build();
		return new PolygonIndex(arrays, stats);
	}

	/** How many polygons the index was built from. */
	get size(): number {
		return this.#stats.polygons;
	}

	/** Sizes of the index. */
	stats(): PolygonIndexStats {
		return { ...this.#stats };
	}

	/**
	 * The polygon holding (lon, lat): its position in the input, or -1 when none does (or a coordinate
	 * is not a number).
	 */
	locate(lon: number, lat: number): number {
		const a = this.#a;
		const ref = cellRef(a, lon, lat);
		return ref >= -1 ? ref : leafAnswer(a.leaves, a.vertices, (-2 - ref) >> 1, lon, lat);
	}

	/**
	 * {@link locate} for many points at once.
	 *
	 * Points go in batches: first every point's cell, then a first read of every mixed cell's leaf and
	 * edges, then the ray casts. The reads of one stage do not wait on each other, so the CPU overlaps
	 * their cache misses; one point at a time, each waits for the one before. Measured against `locate`
	 * in a loop, in alternating runs: 10-20 % less time for the benchmark's buildings (in random order),
	 * no difference for its households (each building's together).
	 *
	 * @param coords interleaved [lon0, lat0, lon1, lat1, ...]
	 * @param out where to write the answers (default: a new array), one per point
	 * @returns polygon positions, -1 where no polygon holds the point
	 */
	locateAll(coords: Float64Array | readonly number[], out?: Int32Array): Int32Array {
		if (coords.length % 2 !== 0) throw new Error('coords must hold [lon, lat] pairs');
		const n = coords.length / 2;
		const result = out ?? new Int32Array(n);
		if (result.length < n) throw new Error(`out must hold ${n} answers`);
		const a = this.#a;
		const { leaves, vertices } = a;
		const refs = new Int32Array(BATCH);
		let touched = 0;
		for (let start = 0; start < n; start += BATCH) {
			const stop = Math.min(n, start + BATCH);
			for (let i = start; i < stop; i++) refs[i - start] = cellRef(a, coords[2 * i], coords[2 * i + 1]);
			// the first vertex of each leaf's first run: a read whose value hardly matters
			for (let i = start; i < stop; i++) {
				const ref = refs[i - start];
				if (ref < -1) touched += vertices[2 * leaves[((-2 - ref) >> 1) + 3]];
			}
			for (let i = start; i < stop; i++) {
				const ref = refs[i - start];
				result[i] =
					ref >= -1 ? ref : leafAnswer(leaves, vertices, (-2 - ref) >> 1, coords[2 * i], coords[2 * i + 1]);
			}
		}
		// never true (vertices are finite): it only uses the reads, so that the compiler keeps them
		if (Number.isNaN(touched)) throw new Error('a vertex is not a number');
		return result;
	}
}

/** Points per batch of {@link PolygonIndex.locateAll}. */
const BATCH = 128;

/**
 * The cell holding (px, py), down through finer grids: a polygon (>= 0) or -1 when the whole cell has
 * that answer, else -2 - k with `leaves[k >> 1]` its leaf (see {@link IndexArrays.cells}).
 */
function cellRef(a: IndexArrays, px: number, py: number): number {
	if (!(px >= a.minX && px < a.maxX && py >= a.minY && py < a.maxY)) return -1;
	const cells = a.cells;
	let nx = a.nx;
	let ny = a.ny;
	let tx = (px - a.x0) * a.invW;
	let ty = (py - a.y0) * a.invH;
	let base = 0;
	for (;;) {
		// the same clamped floor as cellOf(), with which the build filed the edges
		const cx = tx < 0 ? 0 : tx >= nx ? nx - 1 : tx | 0;
		const cy = ty < 0 ? 0 : ty >= ny ? ny - 1 : ty | 0;
		const ref = cells[base + cy * nx + cx];
		if (ref >= -1 || ((-2 - ref) & 1) === 0) return ref;
		const g = ((-2 - ref) >> 1) * GRID_STRIDE;
		const grids = a.grids;
		tx = (px - grids[g]) * grids[g + 2];
		ty = (py - grids[g + 1]) * grids[g + 3];
		nx = grids[g + 4];
		ny = grids[g + 5];
		base = grids[g + 6];
	}
}

/**
 * The answer in the mixed cell whose leaf starts at `leaves[o]`: the first polygon whose runs the ray
 * crosses an odd number of times, else the leaf's fallback.
 */
function leafAnswer(leaves: Int32Array, v: Float64Array, o: number, px: number, py: number): number {
	const end = o + 2 + 3 * leaves[o];
	const fallback = leaves[o + 1];
	o += 2;
	while (o < end) {
		const polygon = leaves[o];
		let inside = 0;
		do {
			for (let i = leaves[o + 1] * 2, to = leaves[o + 2] * 2; i < to; i += 2) {
				// crosses(), inlined
				const ay = v[i + 1];
				const by = v[i + 3];
				if (ay <= py === by <= py) continue;
				const ax = v[i];
				const bx = v[i + 2];
				if (
					ay < by
						? px < ax + (py - ay) * ((bx - ax) / (by - ay))
						: px < bx + (py - by) * ((ax - bx) / (ay - by))
				)
					inside ^= 1;
			}
			o += 3;
		} while (o < end && leaves[o] === polygon);
		if (inside === 1) return polygon;
	}
	return fallback;
}

/** Growable Int32 storage for the build. */
class IntList {
	data: Int32Array;
	length = 0;
	constructor(capacity = 1 << 16) {
		this.data = new Int32Array(capacity);
	}
	push(v: number): void {
		if (this.length === this.data.length) this.grow(this.length + 1);
		this.data[this.length++] = v;
	}
	/** Reserves `n` zeroed slots and returns the offset of the first. */
	reserve(n: number): number {
		if (this.length + n > this.data.length) this.grow(this.length + n);
		const at = this.length;
		this.data.fill(0, at, at + n);
		this.length += n;
		return at;
	}
	grow(minimum: number): void {
		const next = new Int32Array(Math.max(minimum, this.data.length * 2));
		next.set(this.data.subarray(0, this.length));
		this.data = next;
	}
	toArray(): Int32Array {
		return this.data.slice(0, this.length);
	}
}

/** A polygon that can hold points of a cell, with its edges there (a slice of the cell's edge list). */
interface Candidate {
	polygon: number;
	from: number;
	to: number;
}

/** The build, kept apart from the class so the lookup's object stays small. */
class Builder {
	readonly polygonCount: number;
	readonly vertices: Float64Array;
	/**
	 * Per edge (zero-length ones left out): its first vertex, its owner, and its ends as given (ax, ay,
	 * bx, by); edges are numbered in vertex order, so a polygon's edges are consecutive.
	 */
	readonly edgeVertex: Int32Array;
	readonly owner: Int32Array;
	readonly ends: Float64Array;
	readonly edgeCount: number;
	/** per polygon: its first edge; one more entry closes the last */
	readonly polygonEdgeStart: Int32Array;
	/** per vertex: 1 when it is the last of its ring (no edge starts there) */
	readonly ringEnd: Uint8Array;
	/** per edge: 1 when it occurs an odd number of times over all polygons (see findUnsharedEdges) */
	readonly unshared: Uint8Array;
	minX = Infinity;
	minY = Infinity;
	maxX = -Infinity;
	maxY = -Infinity;
	/** absolute padding of the touch tests: far above rounding error, far below any cell */
	padFloor = 0;

	readonly grids: number[] = [];
	readonly cells = new IntList();
	readonly leaves = new IntList();
	mixedCells = 0;

	constructor(
		polygons: readonly Areal[],
		readonly rootCellsPerEdge: number,
		readonly maxLeafEdges: number
	) {
		this.polygonCount = polygons.length;
		let vertexCount = 0;
		polygons.forEach((g, i) => {
			if (!isAreal(g)) throw new Error(`polygon ${i} must be a Polygon or MultiPolygon`);
			for (const rings of polygonsOf(g)) for (const ring of rings) vertexCount += ring.length + 1;
		});
		const vertices = new Float64Array(vertexCount * 2);
		const ringEnd = new Uint8Array(vertexCount);
		const edgeVertex = new Int32Array(vertexCount);
		const owner = new Int32Array(vertexCount);
		const ends = new Float64Array(vertexCount * 4);
		this.polygonEdgeStart = new Int32Array(polygons.length + 1);
		let v = 0;
		let e = 0;
		polygons.forEach((g, i) => {
			this.polygonEdgeStart[i] = e;
			for (const rings of polygonsOf(g)) {
				for (const ring of rings) {
					if (ring.length === 0) continue;
					const first = v;
					for (const p of ring) {
						const x = p[0];
						const y = p[1];
						if (!Number.isFinite(x) || !Number.isFinite(y))
							throw new Error(`polygon ${i} has a coordinate that is not a finite number`);
						vertices[2 * v] = x;
						vertices[2 * v + 1] = y;
						v++;
					}
					// close the ring if it is open
					if (
						vertices[2 * v - 2] !== vertices[2 * first] ||
						vertices[2 * v - 1] !== vertices[2 * first + 1]
					) {
						vertices[2 * v] = vertices[2 * first];
						vertices[2 * v + 1] = vertices[2 * first + 1];
						v++;
					}
					ringEnd[v - 1] = 1;
					for (let k = first; k < v - 1; k++) {
						const ax = vertices[2 * k];
						const ay = vertices[2 * k + 1];
						const bx = vertices[2 * k + 2];
						const by = vertices[2 * k + 3];
						if (ax === bx && ay === by) continue;
						edgeVertex[e] = k;
						owner[e] = i;
						ends[4 * e] = ax;
						ends[4 * e + 1] = ay;
						ends[4 * e + 2] = bx;
						ends[4 * e + 3] = by;
						if (ax < this.minX) this.minX = ax;
						if (ax > this.maxX) this.maxX = ax;
						if (ay < this.minY) this.minY = ay;
						if (ay > this.maxY) this.maxY = ay;
						e++;
					}
				}
			}
		});
		this.polygonEdgeStart[polygons.length] = e;
		this.vertices = vertices.slice(0, 2 * v);
		this.ringEnd = ringEnd;
		this.edgeCount = e;
		this.edgeVertex = edgeVertex;
		this.owner = owner;
		this.ends = ends;
		this.unshared = this.findUnsharedEdges();
	}

	/**
	 * Marks the edges that occur an odd number of times (the same two ends, either way round) over all
	 * polygons: in a tiling, the edges of its outer boundary. Crossing any other edge takes a point out
	 * of one polygon and into another (or into or out of two), so the number of polygons holding a point
	 * keeps its parity over any cell that no unshared edge touches.
	 */
	findUnsharedEdges(): Uint8Array {
		const { ends, edgeCount } = this;
		// the lower end (by y, then x) first
		const key = new Float64Array(edgeCount * 4);
		for (let e = 0; e < edgeCount; e++) {
			const ax = ends[4 * e];
			const ay = ends[4 * e + 1];
			const bx = ends[4 * e + 2];
			const by = ends[4 * e + 3];
			const aFirst = ay < by || (ay === by && ax < bx);
			key[4 * e] = aFirst ? ay : by;
			key[4 * e + 1] = aFirst ? ax : bx;
			key[4 * e + 2] = aFirst ? by : ay;
			key[4 * e + 3] = aFirst ? bx : ax;
		}
		const compare = (p: number, q: number) =>
			key[4 * p] - key[4 * q] ||
			key[4 * p + 1] - key[4 * q + 1] ||
			key[4 * p + 2] - key[4 * q + 2] ||
			key[4 * p + 3] - key[4 * q + 3];
		const order = new Int32Array(edgeCount);
		for (let e = 0; e < edgeCount; e++) order[e] = e;
		order.sort(compare);
		const unshared = new Uint8Array(edgeCount);
		for (let i = 0; i < edgeCount;) {
			let j = i + 1;
			while (j < edgeCount && compare(order[i], order[j]) === 0) j++;
			if ((j - i) % 2 === 1) for (let k = i; k < j; k++) unshared[order[k]] = 1;
			i = j;
		}
		return unshared;
	}

	build(): { arrays: IndexArrays; stats: PolygonIndexStats } {
		const width = this.maxX - this.minX;
		const height = this.maxY - this.minY;
		if (this.edgeCount > 0 && width > 0 && height > 0) {
			const scale = Math.max(
				Math.abs(this.minX),
				Math.abs(this.maxX),
				Math.abs(this.minY),
				Math.abs(this.maxY)
			);
			this.padFloor = 1024 * Number.EPSILON * Math.max(scale, width, height);
			const target = Math.min(
				TUNE.maxRootCells,
				Math.max(1, Math.round(this.edgeCount * this.rootCellsPerEdge))
			);
			const nx = Math.max(1, Math.min(target, Math.round(Math.sqrt((target * width) / height))));
			const ny = Math.max(1, Math.min(target, Math.round(target / nx)));
			const all = new Int32Array(this.edgeCount);
			for (let i = 0; i < all.length; i++) all[i] = i;
			this.buildGrid(this.minX, this.minY, width / nx, height / ny, nx, ny, all, all, [], 0);
		} else {
			// nothing with an area: one cell, outside everything
			this.minX = this.minY = this.maxX = this.maxY = 0;
			this.grids.push(0, 0, 1, 1, 1, 1, this.cells.reserve(1), 0);
			this.cells.data[0] = -1;
		}
		const g = this.grids;
		const arrays: IndexArrays = {
			minX: this.minX,
			minY: this.minY,
			maxX: this.maxX,
			maxY: this.maxY,
			x0: g[0],
			y0: g[1],
			invW: g[2],
			invH: g[3],
			nx: g[4],
			ny: g[5],
			grids: Float64Array.from(g),
			cells: this.cells.toArray(),
			leaves: this.leaves.toArray(),
			vertices: this.vertices
		};
		let bytes = 0;
		for (const value of Object.values(arrays)) if (ArrayBuffer.isView(value)) bytes += value.byteLength;
		return {
			arrays,
			stats: {
				polygons: this.polygonCount,
				edges: this.edgeCount,
				grids: g.length / GRID_STRIDE,
				cells: arrays.cells.length,
				mixedCells: this.mixedCells,
				bytes
			}
		};
	}

	/** The crossing of edge `e` with the line at height y (the lookup's arithmetic, lower end first). */
	crossingX(e: number, y: number): number {
		const { ends } = this;
		const ax = ends[4 * e];
		const ay = ends[4 * e + 1];
		const bx = ends[4 * e + 2];
		const by = ends[4 * e + 3];
		return ay < by ? ax + (y - ay) * ((bx - ax) / (by - ay)) : bx + (y - by) * ((ax - bx) / (ay - by));
	}

	/**
	 * Fills one grid of nx × ny cells of w × h from (x0, y0). `rayEdges` (ascending) are all the edges a
	 * ray from a point of the grid can cross, `touchEdges` all the edges that meet the grid, `covering`
	 * (ascending) the polygons holding all of it. Returns the grid's number.
	 */
	buildGrid(
		x0: number,
		y0: number,
		w: number,
		h: number,
		nx: number,
		ny: number,
		rayEdges: Int32Array,
		touchEdges: Int32Array,
		covering: number[],
		depth: number
	): number {
		const grid = this.grids.length / GRID_STRIDE;
		const invW = 1 / w;
		const invH = 1 / h;
		const base = this.cells.reserve(nx * ny);
		// the lookup maps points to cells with exactly these numbers
		this.grids.push(x0, y0, invW, invH, nx, ny, base, 0);
		const padX = Math.max(w * 1e-6, this.padFloor);
		const padY = Math.max(h * 1e-6, this.padFloor);
		const { ends, owner } = this;

		// 1. the edges touching each cell (padded), horizontal ones too: they end a cell's uniformity
		const forEachCell = (e: number, visit: (cell: number) => void) => {
			const ax = ends[4 * e];
			const ay = ends[4 * e + 1];
			const bx = ends[4 * e + 2];
			const by = ends[4 * e + 3];
			const r0 = cellOf(Math.min(ay, by) - padY, y0, invH, ny);
			const r1 = cellOf(Math.max(ay, by) + padY, y0, invH, ny);
			for (let r = r0; r <= r1; r++) {
				// the part of the segment within the row's band (padded), as an x range
				let lo = Math.min(ax, bx);
				let hi = Math.max(ax, bx);
				if (ay !== by) {
					const t0 = Math.max(0, Math.min(1, (y0 + r * h - padY - ay) / (by - ay)));
					const t1 = Math.max(0, Math.min(1, (y0 + (r + 1) * h + padY - ay) / (by - ay)));
					lo = Math.min(ax + (bx - ax) * t0, ax + (bx - ax) * t1);
					hi = Math.max(ax + (bx - ax) * t0, ax + (bx - ax) * t1);
				}
				const c0 = cellOf(lo - padX, x0, invW, nx);
				const c1 = cellOf(hi + padX, x0, invW, nx);
				for (let c = c0; c <= c1; c++) visit(r * nx + c);
			}
		};
		const touchStart = new Int32Array(nx * ny + 1);
		for (const e of touchEdges) forEachCell(e, (cell) => touchStart[cell + 1]++);
		for (let c = 0; c < nx * ny; c++) touchStart[c + 1] += touchStart[c];
		const touch = new Int32Array(touchStart[nx * ny]);
		const touchFill = touchStart.slice(0, nx * ny);
		for (const e of touchEdges) forEachCell(e, (cell) => (touch[touchFill[cell]++] = e));

		// 2. the edges a ray from each row can cross, by row band: ascending, so grouped by polygon
		const bandOf = (e: number, visit: (r: number) => void) => {
			const ay = ends[4 * e + 1];
			const by = ends[4 * e + 3];
			if (ay === by) return; // horizontal: never crossed
			const r0 = cellOf(Math.min(ay, by), y0, invH, ny);
			const r1 = cellOf(Math.max(ay, by), y0, invH, ny);
			for (let r = r0; r <= r1; r++) visit(r);
		};
		const rowStart = new Int32Array(ny + 1);
		for (const e of rayEdges) bandOf(e, (r) => rowStart[r + 1]++);
		for (let r = 0; r < ny; r++) rowStart[r + 1] += rowStart[r];
		const rows = new Int32Array(rowStart[ny]);
		const rowFill = rowStart.slice(0, ny);
		for (const e of rayEdges) bandOf(e, (r) => (rows[rowFill[r]++] = e));

		// 3. row by row: sweep the row's centre line from east to west, learning which polygons hold each
		// cell's centre, then write the cells
		const odd: number[] = [];
		for (let r = 0; r < ny; r++) {
			const yc = y0 + (r + 0.5) * h;
			const rowEdges = rows.subarray(rowStart[r], rowStart[r + 1]);
			const crossing: { x: number; polygon: number }[] = [];
			for (const e of rowEdges) {
				const ay = ends[4 * e + 1];
				const by = ends[4 * e + 3];
				if (ay <= yc !== by <= yc) crossing.push({ x: this.crossingX(e, yc), polygon: owner[e] });
			}
			crossing.sort((p, q) => q.x - p.x);
			let next = 0;
			odd.length = 0;
			for (let c = nx - 1; c >= 0; c--) {
				const xc = x0 + (c + 0.5) * w;
				while (next < crossing.length && crossing[next].x > xc) {
					// the polygons holding a point are few (one, in a tiling): a list serves as parity set
					const p = crossing[next++].polygon;
					const at = odd.indexOf(p);
					if (at < 0) odd.push(p);
					else odd.splice(at, 1);
				}
				const cell = r * nx + c;
				const from = touchStart[cell];
				const to = touchStart[cell + 1];
				if (from === to) {
					let value = covering.length > 0 ? covering[0] : -1;
					for (const p of odd) if (value < 0 || p < value) value = p;
					this.cells.data[base + cell] = value;
					continue;
				}
				const cellTouch = touch.subarray(from, to);
				// the candidates: owners of the edges touching the cell; the rest of the polygons holding its
				// centre hold all of it
				const candidates = [...new Set(Array.from(cellTouch, (e) => owner[e]))].sort((p, q) => p - q);
				const cellCovering = [...covering, ...odd.filter((p) => !candidates.includes(p))].sort(
					(p, q) => p - q
				);
				// every point of the cell lies in some polygon when an odd number of them hold its centre and
				// no unshared edge touches it
				let covered = (odd.length + covering.length) % 2 === 1;
				for (const e of cellTouch) if (this.unshared[e] === 1) covered = false;
				// computed before it is stored: a finer grid may reallocate this.cells
				const entry = this.buildCell(
					{ x0, invW, nx, c },
					{ x0: x0 + c * w, y0: y0 + r * h, w, h },
					rowEdges,
					cellTouch,
					candidates,
					cellCovering,
					covered,
					depth
				);
				this.cells.data[base + cell] = entry;
			}
		}
		return grid;
	}

	/**
	 * One mixed cell (column `column.c` of its grid): a leaf, or a finer grid when the leaf would hold
	 * too many edges. Returns the cell's entry for `cells`.
	 */
	buildCell(
		column: { x0: number; invW: number; nx: number; c: number },
		rect: { x0: number; y0: number; w: number; h: number },
		rowEdges: Int32Array,
		touchEdges: Int32Array,
		candidates: number[],
		covering: number[],
		covered: boolean,
		depth: number
	): number {
		const { ends, polygonEdgeStart } = this;
		const padX = Math.max(rect.w * 1e-6, this.padFloor);
		// each candidate's edges here: those of the row band that reach east of the cell's west side (a
		// crossing is never east of the edge's east end, and a ray counts only crossings east of its point)
		const ray: number[] = [];
		const rayOf: Candidate[] = [];
		for (const polygon of candidates) {
			const from = ray.length;
			const hi = lowerBound(rowEdges, polygonEdgeStart[polygon + 1]);
			for (let i = lowerBound(rowEdges, polygonEdgeStart[polygon]); i < hi; i++) {
				const e = rowEdges[i];
				const east = Math.max(ends[4 * e], ends[4 * e + 2]) + padX;
				if (cellOf(east, column.x0, column.invW, column.nx) >= column.c) ray.push(e);
			}
			// a candidate with no such edge holds no point of the cell
			if (ray.length > from) rayOf.push({ polygon, from, to: ray.length });
		}
		// the polygons that can hold a point here, ascending (the earliest holding a point wins), up to
		// the first that holds the whole cell
		const entries: Candidate[] = [];
		for (let ci = 0, ri = 0; ci < covering.length || ri < rayOf.length;) {
			if (ri >= rayOf.length || (ci < covering.length && covering[ci] < rayOf[ri].polygon)) {
				entries.push({ polygon: covering[ci++], from: -1, to: -1 });
				break;
			}
			entries.push(rayOf[ri++]);
		}
		// the answer when no tested polygon holds the point: a holder of the whole cell, or the last
		// candidate when every point of the cell lies in some polygon, else none
		let fallback = -1;
		const last = entries[entries.length - 1];
		if (last && (last.from < 0 || covered)) {
			fallback = last.polygon;
			entries.pop();
		}
		if (entries.length === 0) return fallback; // all of the cell has one answer

		let cost = 0;
		for (const { from, to } of entries) cost += to - from;
		if (cost > this.maxLeafEdges && depth < TUNE.maxDepth) {
			const k = Math.max(2, Math.min(8, Math.ceil(Math.sqrt(cost / 4))));
			if (rect.w / k > this.padFloor * 64 && rect.h / k > this.padFloor * 64) {
				const grid = this.buildGrid(
					rect.x0,
					rect.y0,
					rect.w / k,
					rect.h / k,
					k,
					k,
					Int32Array.from(ray).sort(),
					touchEdges,
					covering,
					depth + 1
				);
				return -2 - (grid * 2 + 1);
			}
		}

		this.mixedCells++;
		const leaves = this.leaves;
		const leaf = leaves.length;
		const count = leaves.reserve(2);
		leaves.data[leaf + 1] = fallback;
		let runs = 0;
		for (const { polygon, from, to } of entries) {
			// runs of consecutive edges of the polygon's rings; short gaps are merged (their edges are
			// tested for nothing, harmlessly), ring ends are not
			let start = this.edgeVertex[ray[from]];
			let stop = start + 1;
			for (let i = from + 1; i <= to; i++) {
				const vertex = i < to ? this.edgeVertex[ray[i]] : -1;
				if (vertex >= 0 && vertex - stop <= TUNE.maxRunGap && !this.endsRing(stop, vertex)) {
					stop = vertex + 1;
					continue;
				}
				leaves.push(polygon);
				leaves.push(start);
				leaves.push(stop);
				runs++;
				start = vertex;
				stop = vertex + 1;
			}
		}
		leaves.data[count] = runs;
		return -2 - leaf * 2;
	}

	/** Whether a ring ends among the vertices [from, to): no edge starts at a ring's last vertex. */
	endsRing(from: number, to: number): boolean {
		for (let v = from; v < to; v++) if (this.ringEnd[v] === 1) return true;
		return false;
	}
}

/** The first position in ascending `a` whose value is >= v. */
function lowerBound(a: Int32Array, v: number): number {
	let lo = 0;
	let hi = a.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (a[mid] < v) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}
