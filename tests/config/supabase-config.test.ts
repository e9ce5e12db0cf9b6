/**
 * supabase/config.toml, the Supabase CLI's project config, checked without the CLI (a 135 MB binary per
 * version, too much for every install): every key must be one that both the CLI 2.x and 3.x accept, with a
 * value of the kind they decode (their lists are supabase-cli-2-keys.txt and supabase-cli-3-keys.txt beside this
 * file; 2.x refuses a config with any other key, 3.x ignores the key), and the settings that make
 * `supabase start` the same stack as the embedded one must hold: its ports, its auth rules, its keys.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import {
	DEFAULT_API_PORT,
	DEFAULT_JWT_EXPIRY,
	DEFAULT_PASSWORD_MIN_LENGTH,
	DEFAULT_PG_PORT,
	DEFAULT_REFRESH_TOKEN_REUSE_INTERVAL,
	DEFAULT_SUPABASE_URL
} from '../../scripts/embedded/keys';

type Table = Record<string, unknown>;

interface Key {
	key: string;
	segments: string[];
	/** Alternatives: boolean, integer, port, string, duration, size, array, table or one-of:<a>,<b>,... */
	kinds: string[];
}

const root = new URL('../../', import.meta.url);
const CONFIG = new URL('supabase/config.toml', root);
const KIND = /^(boolean|integer|port|string|duration|size|array|table|one-of:.*)$/;

/** A CLI's keys, split at the dots (`*` = any one name), with the kinds of value each takes. */
function readKeys(file: string): Key[] {
	return readFileSync(new URL(file, import.meta.url), 'utf8')
		.split('\n')
		.filter((line) => line.trim() && !line.startsWith('#'))
		.map((line) => {
			const [key, kind, ...rest] = line.trim().split(/\s+/);
			const kinds = (kind ?? '').split('|');
			if (rest.length || !kinds.every((k) => KIND.test(k))) throw new Error(`${file}: bad line "${line}"`);
			return { key, segments: key.split('.'), kinds };
		});
}

const CLI_KEYS = {
	'2.x': readKeys('./supabase-cli-2-keys.txt'),
	'3.x': readKeys('./supabase-cli-3-keys.txt')
};

function isTable(value: unknown): value is Table {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Go's time.ParseDuration syntax, as the CLI parses durations. */
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

function fits(kind: string, value: unknown): boolean {
	if (kind.startsWith('one-of:'))
		return typeof value === 'string' && kind.slice(7).split(',').includes(value);
	switch (kind) {
		case 'boolean':
			return typeof value === 'boolean';
		case 'integer':
			return Number.isInteger(value) && (value as number) >= 0;
		case 'port':
			return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535;
		case 'string':
			return typeof value === 'string';
		case 'duration':
			return typeof value === 'string' && DURATION.test(value);
		case 'size':
			return (
				(typeof value === 'string' && /^\d+(\.\d+)?\s*[KMGT]?i?B?$/i.test(value)) || Number.isInteger(value)
			);
		case 'array':
			return Array.isArray(value);
		case 'table':
			return isTable(value);
	}
	return false;
}

/** Whether the key's first `path.length` segments match `path`. */
const matches = (segments: string[], path: string[]) =>
	path.every((name, i) => segments[i] === '*' || segments[i] === name);

/**
 * What a CLI with these keys would refuse or ignore in a parsed config.toml: keys it does not know and values
 * of the wrong kind, as "dotted.key: why". A [remotes.<name>] table is checked against the same keys.
 */
function configProblems(config: Table, keys: Key[]): string[] {
	const problems: string[] = [];
	const visit = (table: Table, path: string[], label: string) => {
		for (const [name, value] of Object.entries(table)) {
			const at = [...path, name];
			const where = label + at.join('.');
			if (!label && at.length === 1 && name === 'remotes' && isTable(value)) {
				for (const [remote, body] of Object.entries(value)) {
					if (isTable(body)) visit(body, [], `remotes.${remote}.`);
					else problems.push(`remotes.${remote}: not a table`);
				}
				continue;
			}
			const key = keys.find((k) => k.segments.length === at.length && matches(k.segments, at));
			if (key) {
				if (!key.kinds.some((kind) => fits(kind, value)))
					problems.push(`${where}: not ${key.kinds.join(' or ')}: ${JSON.stringify(value)}`);
			} else if (
				isTable(value) &&
				keys.some((k) => k.segments.length > at.length && matches(k.segments, at))
			) {
				visit(value, at, label);
			} else {
				problems.push(`${where}: not a key the Supabase CLI accepts`);
			}
		}
	};
	visit(config, [], '');
	return problems;
}

const config = parse(readFileSync(CONFIG, 'utf8')) as Table;
const get = (dotted: string): unknown =>
	dotted.split('.').reduce<unknown>((t, k) => (isTable(t) ? t[k] : undefined), config);

describe('the CLIs’ key lists', () => {
	it('are read whole', () => {
		expect(CLI_KEYS['2.x'].length).toBeGreaterThan(200);
		expect(CLI_KEYS['3.x'].length).toBeGreaterThan(300);
		for (const keys of Object.values(CLI_KEYS))
			expect(keys.map((k) => k.key)).toContain('auth.enable_signup');
	});

	it.each(Object.entries(CLI_KEYS))(
		'%s: find an unknown key, a misspelt one, one in a remote and a value of the wrong kind',
		(_, keys) => {
			expect(configProblems({ project_id: 'x', api: { port: 54321 } }, keys)).toEqual([]);
			expect(configProblems({ api: { prot: 54321 } }, keys)).toEqual([
				'api.prot: not a key the Supabase CLI accepts'
			]);
			expect(configProblems({ auth: { enable_sign_up: false } }, keys)).toEqual([
				'auth.enable_sign_up: not a key the Supabase CLI accepts'
			]);
			expect(configProblems({ seed: { enabled: true } }, keys)).toEqual([
				'seed: not a key the Supabase CLI accepts'
			]);
			expect(
				configProblems({ remotes: { staging: { project_id: 'abc', api: { tls: { on: true } } } } }, keys)
			).toEqual(['remotes.staging.api.tls.on: not a key the Supabase CLI accepts']);
			expect(
				configProblems(
					{
						api: { port: 70000 },
						auth: { enable_signup: 'no', email: { max_frequency: '1 second' } },
						db: { pooler: { pool_mode: 'statement' } },
						storage: { buckets: { avatars: { public: true, file_size_limit: '5MiB' } } }
					},
					keys
				)
			).toEqual([
				'api.port: not port: 70000',
				'auth.enable_signup: not boolean: "no"',
				'auth.email.max_frequency: not duration: "1 second"',
				'db.pooler.pool_mode: not one-of:transaction,session: "statement"'
			]);
		}
	);

	it('tell the two CLIs apart where they differ', () => {
		expect(configProblems({ inbucket: { port: 54324 } }, CLI_KEYS['2.x'])).toEqual([]);
		expect(configProblems({ inbucket: { port: 54324 } }, CLI_KEYS['3.x'])).toEqual([
			'inbucket: not a key the Supabase CLI accepts'
		]);
		expect(configProblems({ local_smtp: { port: 54324 } }, CLI_KEYS['3.x'])).toEqual([]);
		expect(configProblems({ local_smtp: { port: 54324 } }, CLI_KEYS['2.x'])).toEqual([
			'local_smtp: not a key the Supabase CLI accepts'
		]);
	});
});

describe('supabase/config.toml', () => {
	it.each(Object.entries(CLI_KEYS))(
		'has only keys the Supabase CLI %s accepts, with values of their kind',
		(_, keys) => {
			expect(configProblems(config, keys)).toEqual([]);
		}
	);

	it('names the project and a database version the CLI supports', () => {
		expect(get('project_id')).toMatch(/^[a-z0-9_-]+$/);
		expect([13, 14, 15, 17]).toContain(get('db.major_version'));
	});

	it('puts the API and the database on the embedded stack’s ports, where the app looks by default', () => {
		expect(get('api.port')).toBe(DEFAULT_API_PORT);
		expect(DEFAULT_SUPABASE_URL).toBe(`http://127.0.0.1:${get('api.port')}`);
		expect(get('db.port')).toBe(DEFAULT_PG_PORT);
		expect(get('api.schemas')).toEqual(['public']);
	});

	it('leaves the JWT secret and the API keys at the CLI’s defaults, which the app’s defaults are', () => {
		for (const key of ['jwt_secret', 'anon_key', 'service_role_key', 'signing_keys_path'])
			expect(get(`auth.${key}`), key).toBeUndefined();
	});

	it('has the embedded auth service’s rules: no sign-up, email and password sign-in, its token lifetimes, its password length', () => {
		expect(get('auth.enabled')).toBe(true);
		expect(get('auth.enable_signup')).toBe(false);
		expect(get('auth.enable_anonymous_sign_ins')).toBe(false);
		// The email provider's own switch (2.x enable_signup, 3.x enabled; both default to true): false would turn
		// sign-in off too.
		expect(get('auth.email.enable_signup') ?? true).toBe(true);
		expect(get('auth.email.enabled') ?? true).toBe(true);
		expect(get('auth.email.enable_confirmations')).toBe(false);
		expect(get('auth.sms.enable_signup') ?? false).toBe(false);
		expect(get('auth.jwt_expiry')).toBe(DEFAULT_JWT_EXPIRY);
		expect(get('auth.enable_refresh_token_rotation')).toBe(true);
		expect(get('auth.refresh_token_reuse_interval')).toBe(DEFAULT_REFRESH_TOKEN_REUSE_INTERVAL);
		expect(get('auth.minimum_password_length')).toBe(DEFAULT_PASSWORD_MIN_LENGTH);
		expect(get('auth.site_url')).toBe('http://127.0.0.1:3000');
		expect(get('auth.additional_redirect_urls')).toEqual(
			expect.arrayContaining(['http://localhost:3000', 'http://127.0.0.1:5173'])
		);
	});

	it('runs realtime', () => {
		expect(get('realtime.enabled')).toBe(true);
	});

	it('seeds only files that exist, and otherwise says how the demo gets in', () => {
		const enabled = get('db.seed.enabled') ?? true;
		const paths = (get('db.seed.sql_paths') as string[] | undefined) ?? ['./seed.sql'];
		if (enabled) {
			for (const path of paths.filter((p) => !/[*?[]/.test(p)))
				expect(existsSync(new URL(path, new URL('supabase/', root))), path).toBe(true);
		} else {
			const scripts = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).scripts;
			expect(scripts['seed:db']).toBeDefined();
			expect(readFileSync(CONFIG, 'utf8')).toContain('npm run seed:db');
		}
	});
});
