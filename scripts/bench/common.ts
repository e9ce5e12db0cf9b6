/**
 * What the benchmarks share: their command-line flags, medians, and a seeded embedded stack per scale in its own
 * data folder (`.data/bench-demo`, `.data/bench-full`; seeded on first use) on ports apart from everything else.
 */
import { existsSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { spawnStack, stopChild, waitForReady } from '../embedded/child';

export type Scale = 'demo' | 'full';

/** `--name=value` flags (a bare `--name` is "true"). */
export function flags(argv = process.argv.slice(2)): Map<string, string> {
	return new Map(
		argv.map((a) => {
			const [k, v] = a.replace(/^--/, '').split('=');
			return [k, v ?? 'true'] as const;
		})
	);
}

export function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	const mid = Math.floor(s.length / 2);
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Below Linux's ephemeral range (32768–60999), so a client connection of something else never holds one of them.
 * BENCH_API_PORT moves them (the database listens on +1, PostgREST on +9).
 */
export const BENCH_API_PORT = Number(process.env.BENCH_API_PORT ?? 29321);

export interface BenchStack {
	url: string;
	/** postgres:// URL of the stack's database (superuser). */
	pgUrl: string;
	stop(): Promise<void>;
}

/** Starts (and on first use seeds) the embedded stack of a scale; its output is shown only if it fails. */
export async function startBenchStack(scale: Scale): Promise<BenchStack> {
	const dataDir = `.data/bench-${scale}`;
	if (!existsSync(dataDir)) console.log(`# seeding ${dataDir} (${scale} scale), once: this takes a while`);
	const child: ChildProcess = spawnStack(
		{
			...process.env,
			EMBEDDED_DATA_DIR: dataDir,
			EMBEDDED_API_PORT: String(BENCH_API_PORT),
			EMBEDDED_PG_PORT: String(BENCH_API_PORT + 1),
			EMBEDDED_POSTGREST_PORT: String(BENCH_API_PORT + 9)
		},
		[`--scale=${scale}`]
	);
	const lines: string[] = [];
	const url = await waitForReady(child, { timeoutMs: 1_800_000, onLine: (line) => lines.push(line) }).catch(
		(e) => {
			console.error(lines.join('\n'));
			throw e;
		}
	);
	return {
		url,
		pgUrl: `postgres://postgres:postgres@127.0.0.1:${BENCH_API_PORT + 1}/postgres`,
		stop: () => stopChild(child)
	};
}
