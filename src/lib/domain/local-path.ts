/**
 * Where a form may send the user back to (after signing in, after switching language): a path on this site and
 * nothing else. Browsers read `//host` and `/\host` (a backslash counts as a slash) as another site, and a
 * control character or space can hide either, so those are refused along with anything not starting with `/`.
 */
export function localPath(next: unknown, fallback = '/'): string {
	if (typeof next !== 'string' || !next.startsWith('/')) return fallback;
	if (next[1] === '/') return fallback;
	// Backslashes anywhere (`/\host` included), control characters and spaces.
	// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
	if (/[\u0000-\u0020\u007f\\]/.test(next)) return fallback;
	return next;
}
