import { describe, expect, it } from 'vitest';
import { overlayPadding } from './overlay-padding';

describe('overlayPadding', () => {
	const desktop = { width: 986, height: 716 };

	it('keeps the unit left of a layer panel at the top right, and right of a legend at the bottom left', () => {
		const panel = { left: 796, top: 10, right: 976, bottom: 300 };
		const legend = { left: 10, top: 566, right: 160, bottom: 706 };
		expect(overlayPadding(desktop, [panel, legend])).toEqual({ top: 24, right: 214, bottom: 24, left: 184 });
	});

	it('keeps the unit above a legend that spans a phone map’s foot', () => {
		const phone = { width: 390, height: 506 };
		const strip = { left: 6, top: 446, right: 384, bottom: 500 };
		const folded = { left: 320, top: 6, right: 384, bottom: 36 };
		expect(overlayPadding(phone, [strip, folded])).toEqual({ top: 60, right: 24, bottom: 84, left: 24 });
	});

	it('ignores hidden and outside panels, and leaves the unit room when panels are huge', () => {
		expect(overlayPadding(desktop, [{ left: 0, top: 0, right: 0, bottom: 0 }])).toEqual({
			top: 24,
			right: 24,
			bottom: 24,
			left: 24
		});
		expect(overlayPadding(desktop, [{ left: 2000, top: 0, right: 2100, bottom: 100 }]).right).toBe(24);
		const pad = overlayPadding(desktop, [
			{ left: 0, top: 0, right: 600, bottom: 716 },
			{ left: 500, top: 0, right: 986, bottom: 716 }
		]);
		expect(desktop.width - pad.left - pad.right).toBeGreaterThanOrEqual(desktop.width * 0.35 - 1);
	});

	it('keeps a tall unit below a panel at the top right only when that costs it nothing: beside it otherwise', () => {
		const phone = { width: 390, height: 506 };
		const folded = { left: 320, top: 6, right: 384, bottom: 36 };
		// A tall city: its height binds, so the button is kept clear at the side.
		const tall = overlayPadding(phone, [folded], 12, 0.35, { width: 100, height: 200 });
		expect(tall.top).toBe(12);
		expect(tall.right).toBe(82);
		// A wide unit: its width binds, so the button is kept clear above.
		const wide = overlayPadding(phone, [folded], 12, 0.35, { width: 300, height: 100 });
		expect(wide.top).toBe(48);
		expect(wide.right).toBe(12);
	});
});
