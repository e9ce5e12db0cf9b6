import { describe, expect, it } from 'vitest';
import { PointGrid } from './point-grid';
import { mulberry32 } from './random';

function within(grid: PointGrid, x: number, y: number, r: number): number[] {
	const out: number[] = [];
	grid.forEachWithin(x, y, r, (i) => out.push(i));
	return out.sort((a, b) => a - b);
}

function bruteForce(xs: Float64Array, ys: Float64Array, x: number, y: number, r: number): number[] {
	const out: number[] = [];
	for (let i = 0; i < xs.length; i++) if ((xs[i] - x) ** 2 + (ys[i] - y) ** 2 <= r * r) out.push(i);
	return out;
}

describe('PointGrid', () => {
	const rng = mulberry32(11);
	const n = 2000;
	const xs = Float64Array.from({ length: n }, () => rng() * 5000 - 2500);
	const ys = Float64Array.from({ length: n }, () => rng() * 4000);

	it.each([
		[300, 300],
		[300, 40],
		[300, 2000],
		[1, 0.01]
	])('finds exactly the points within the radius (query %d m, cells %d m)', (radius, cell) => {
		const grid = new PointGrid(xs, ys, cell);
		for (let q = 0; q < 200; q++) {
			// queries reach past the points' bbox on every side
			const x = rng() * 7000 - 3500;
			const y = rng() * 6000 - 1000;
			expect(within(grid, x, y, radius)).toEqual(bruteForce(xs, ys, x, y, radius));
		}
	});

	it('sums the weights of the points within the radius that are not skipped', () => {
		const grid = new PointGrid(xs, ys, 150);
		const weights = Float64Array.from({ length: n }, (_, i) => i % 7);
		const skip = Uint8Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
		for (let q = 0; q < 100; q++) {
			const x = rng() * 6000 - 3000;
			const y = rng() * 5000 - 500;
			const want = bruteForce(xs, ys, x, y, 300)
				.filter((i) => !skip[i])
				.reduce((s, i) => s + weights[i], 0);
			expect(grid.sumWithin(x, y, 300, weights, skip)).toBe(want);
		}
	});

	it('caps the number of cells for tiny cell sizes', () => {
		// the points span just under 5 km: 100 cells a side of just under 50 m
		const { cellSize } = new PointGrid(xs, ys, 0.01, 100);
		expect(cellSize).toBeGreaterThan(49.9);
		expect(cellSize).toBeLessThanOrEqual(50);
	});

	it('includes a point exactly on the circle, and handles no points', () => {
		const grid = new PointGrid(Float64Array.of(0, 3), Float64Array.of(0, 4), 5);
		expect(within(grid, 0, 0, 5)).toEqual([0, 1]);
		expect(within(new PointGrid(new Float64Array(0), new Float64Array(0), 5), 0, 0, 100)).toEqual([]);
	});

	it('rejects mismatched arrays and a bad cell size', () => {
		expect(() => new PointGrid(new Float64Array(1), new Float64Array(2), 1)).toThrow('same length');
		expect(() => new PointGrid(new Float64Array(1), new Float64Array(1), 0)).toThrow('cellSize');
	});
});
