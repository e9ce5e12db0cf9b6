/*
 * Degrees to metres in a local plane (equirectangular): good to well under 1 % over the few kilometres
 * the generator measures, and far cheaper than geodesic formulas.
 */

/** Mean Earth radius in metres (the value Turf uses). */
export const EARTH_RADIUS_M = 6_371_008.8;

const RAD = Math.PI / 180;

/** Metres per degree of latitude on that sphere (about 111,195). */
export const METRES_PER_DEGREE = RAD * EARTH_RADIUS_M;

/**
 * Metres per degree of longitude at a latitude: {@link METRES_PER_DEGREE} shortened by cos(latitude).
 *
 * @param lat latitude in degrees
 * @example
 * metresPerDegreeLon(28.9); // about 97,350
 */
export function metresPerDegreeLon(lat: number): number {
	return METRES_PER_DEGREE * Math.cos(lat * RAD);
}
