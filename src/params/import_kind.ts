import type { ParamMatcher } from '@sveltejs/kit';

/** The kinds of spreadsheet import (/grids/:community/import/:kind): households (the default), residents. */
export const match = ((param: string): param is 'households' | 'residents' =>
	param === 'households' || param === 'residents') satisfies ParamMatcher;
