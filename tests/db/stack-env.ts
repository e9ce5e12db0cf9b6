/**
 * The embedded stack the db tests run against, as started by ./global-setup.ts:
 *
 *   import { stack } from './stack-env';
 *   createClient(stack().url, stack().anonKey, ...);  new pg.Client(stack().pgUrl);
 *   await stack().reloadSchema();   // after creating functions/tables: PostgREST sees them when this resolves
 */
import { inject } from 'vitest';
import { RELOAD_SCHEMA_PATH } from '../../scripts/embedded/keys';

export interface StackInfo {
	/** The Supabase URL (gateway). */
	url: string;
	anonKey: string;
	serviceRoleKey: string;
	jwtSecret: string;
	/** postgres:// URL of the PGlite socket. It is ONE shared session: use SET LOCAL inside transactions only. */
	pgUrl: string;
	/** PostgREST itself, behind the gateway (tests normally go through `url`). */
	postgrestUrl: string;
	/** The stack's PGlite data folder (locked while it runs). */
	dataDir: string;
	/** Seconds a rotated refresh token may still be presented (GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL). */
	refreshTokenReuseInterval: number;
}

declare module 'vitest' {
	export interface ProvidedContext {
		stack: StackInfo;
	}
}

export interface TestStack extends StackInfo {
	/** Reloads PostgREST's schema cache and resolves once the new cache is in use. */
	reloadSchema(): Promise<void>;
}

export function stack(): TestStack {
	const info = inject('stack');
	if (!info)
		throw new Error(
			'no test stack: run these tests through the vitest "db" project (its globalSetup starts the stack)'
		);
	return {
		...info,
		async reloadSchema() {
			const res = await fetch(`${info.url}${RELOAD_SCHEMA_PATH}`, {
				method: 'POST',
				headers: { apikey: info.serviceRoleKey }
			});
			if (res.status !== 204) throw new Error(`schema reload failed: ${res.status} ${await res.text()}`);
		}
	};
}
