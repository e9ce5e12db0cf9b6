/**
 * Runs a command (vite dev, the built server, ...) against a Supabase stack, starting the embedded one if needed.
 *
 *   node --import tsx scripts/with-stack.ts <command> [args...]
 *
 * - PUBLIC_SUPABASE_URL set to a non-local URL (a hosted project): just runs the command.
 * - Unset or local (http://127.0.0.1:54321, http://localhost:54321) and something answers there (`supabase
 *   start`, or `npm run stack` in another terminal): runs the command against it.
 * - Otherwise starts the embedded stack (scripts/embedded/main.ts) as a child, waits for its ready line, runs the
 *   command, and stops the stack when the command ends. If the stack dies, the command is stopped too.
 *
 * The command gets PUBLIC_SUPABASE_URL / PUBLIC_SUPABASE_ANON_KEY defaulted, and --experimental-websocket in
 * NODE_OPTIONS (supabase-js on Node 20 refuses to start without a WebSocket).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnStack, stopChild, waitForReady } from './embedded/child';
import { localSupabaseUrls, resolveKeys, stackPortsFromEnv, stackUrls } from './embedded/keys';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const READY_TIMEOUT_MS = 120_000;

function log(line: string): void {
	console.log(`[with-stack] ${line}`);
}

/** The URL the app should use, and whether it is the local one we may start ourselves. */
function targetUrl(env: NodeJS.ProcessEnv): { url: string; local: boolean } {
	const ports = stackPortsFromEnv(env);
	const configured = env.PUBLIC_SUPABASE_URL?.replace(/\/+$/, '');
	if (!configured) return { url: stackUrls(ports).url, local: true };
	let origin: string | undefined;
	try {
		const u = new URL(configured);
		if (u.pathname === '/') origin = u.origin;
	} catch {
		// not a URL: hand it to the app as it is
	}
	return { url: configured, local: !!origin && localSupabaseUrls(ports.apiPort).includes(origin) };
}

/** True if any HTTP server answers at <url>/auth/v1/health (the answer's status does not matter). */
async function answers(url: string, apikey: string): Promise<boolean> {
	try {
		await fetch(`${url}/auth/v1/health`, { headers: { apikey }, signal: AbortSignal.timeout(1500) });
		return true;
	} catch {
		return false;
	}
}

function withWebSocketFlag(nodeOptions: string | undefined): string {
	const current = nodeOptions ?? '';
	return current.includes('--experimental-websocket')
		? current
		: `${current} --experimental-websocket`.trim();
}

/** Starts the embedded stack and resolves once it prints its ready line; shows its output meanwhile. */
async function startEmbeddedStack(): Promise<ChildProcess> {
	const child = spawnStack(process.env);
	try {
		await waitForReady(child, {
			timeoutMs: READY_TIMEOUT_MS,
			onLine: (line, stream) =>
				(stream === 'stdout' ? process.stdout : process.stderr).write(`[stack] ${line}\n`)
		});
		return child;
	} catch (err) {
		await stopChild(child);
		throw err;
	}
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
	if (code !== null) return code;
	return signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1;
}

async function main(): Promise<void> {
	const [command, ...args] = process.argv.slice(2);
	if (!command) {
		console.error('usage: node --import tsx scripts/with-stack.ts <command> [args...]');
		process.exit(2);
	}
	const keys = resolveKeys();
	const { url, local } = targetUrl(process.env);

	let stack: ChildProcess | undefined;
	let app: ChildProcess | undefined; // eslint-disable-line prefer-const -- assigned once, after `forward` needs it
	let shuttingDown = false;
	// Ctrl-C reaches the whole process group; we also forward, so `kill <our pid>` works the same way.
	const forward = (signal: NodeJS.Signals) => {
		shuttingDown = true;
		stack?.kill(signal);
		app?.kill(signal);
	};
	process.on('SIGINT', () => forward('SIGINT'));
	process.on('SIGTERM', () => forward('SIGTERM'));

	if (local && !(await answers(url, keys.anonKey))) {
		log(`nothing answers at ${url}: starting the embedded stack`);
		try {
			stack = await startEmbeddedStack();
		} catch (err) {
			console.error(`[with-stack] ${(err as Error).message}`);
			process.exit(1);
		}
		if (shuttingDown) {
			await stopChild(stack);
			process.exit(130);
		}
	} else if (local) {
		log(`using the Supabase stack already answering at ${url}`);
	}

	const env: NodeJS.ProcessEnv = {
		...process.env,
		PATH: `${join(ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
		NODE_OPTIONS: withWebSocketFlag(process.env.NODE_OPTIONS),
		// adapter-node assumes https when ORIGIN is unset, which makes SvelteKit refuse the sign-in form posted
		// over plain http on this machine. Serve on loopback, with the origin a user opens, unless told otherwise.
		HOST: process.env.HOST ?? '127.0.0.1',
		ORIGIN: process.env.ORIGIN ?? `http://127.0.0.1:${process.env.PORT ?? '3000'}`
	};
	if (local) {
		env.PUBLIC_SUPABASE_URL ??= url;
		env.PUBLIC_SUPABASE_ANON_KEY ??= keys.anonKey;
		// Server side only (src/lib/server/env.ts): the sign-in forwards the user's address with it.
		env.SUPABASE_SERVICE_ROLE_KEY ??= keys.serviceRoleKey;
	}
	app = spawn(command, args, { stdio: 'inherit', env, cwd: process.cwd() });
	app.once('error', (err) => {
		console.error(`[with-stack] cannot run ${command}: ${err.message}`);
	});

	let stackDied = false;
	stack?.once('exit', (code) => {
		if (shuttingDown) return;
		stackDied = true;
		console.error(`[with-stack] the embedded stack exited (code ${code}); stopping ${command}`);
		void stopChild(app);
	});

	const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => {
		app!.once('exit', (c, s) => r([c, s]));
		app!.once('error', () => r([127, null]));
	});
	shuttingDown = true;
	await stopChild(stack);
	process.exit(stackDied ? 1 : exitCodeOf(code, signal));
}

main().catch((err) => {
	console.error('[with-stack]', err);
	process.exit(1);
});
