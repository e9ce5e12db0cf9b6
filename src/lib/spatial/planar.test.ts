import { describe, expect, it } from 'vitest';
import { pointSegmentDistanceSq, positionKey } from './planar';

describe('positionKey', () => {
	it('is equal exactly when both coordinates are', () => {
		expect(positionKey([105.4, 28.85])).toBe('105.4,28.85');
		expect(positionKey([105.4, 28.85])).toBe(positionKey([105.4, 28.85]));
		expect(positionKey([105.4, 28.85])).not.toBe(positionKey([105.4, 28.85 + 1e-14]));
	});
});

describe('pointSegmentDistanceSq', () => {
	it('measures to the nearest point of the segment: inside it, or an end', () => {
		expect(pointSegmentDistanceSq(0, 1, -1, 0, 1, 0)).toBe(1); // above the middle
		expect(pointSegmentDistanceSq(4, 4, 0, 0, 1, 0)).toBe(25); // beyond the end (1, 0): 3-4-5
		expect(pointSegmentDistanceSq(-3, 0, 0, 0, 2, 0)).toBe(9); // before the start, on the line
		expect(pointSegmentDistanceSq(0.5, 0, 0, 0, 1, 0)).toBe(0); // on the segment
	});

	it('treats a zero-length segment as a point', () => {
		expect(pointSegmentDistanceSq(3, 4, 0, 0, 0, 0)).toBe(25);
	});
});
