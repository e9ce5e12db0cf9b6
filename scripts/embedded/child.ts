/**
 * Running the embedded stack (main.ts) as a child process, shared by scripts/with-stack.ts (`npm run dev`,
 * `npm start`) and tests/db/global-setup.ts, plus the line splitter the stack uses for PostgREST's output.
 *
 *   const child = spawnStack({ ...process.env, ...portEnv(ports) });
 *   const url = await waitForReady(child, { timeoutMs: 120_000, onLine: (line) => console.log(line) });
 *   ...
 *   await stopChild(child);   // SIGTERM (main.ts closes PGlite and PostgREST), SIGKILL after a grace period
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { READY_LINE_PREFIX } from './keys';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN_TS = join(PROJECT_ROOT, 'scripts/embedded/main.ts');

/**
 * Splits a stream's chunks into lines. A line split across two chunks is kept until its end arrives; the last
 * unterminated line is passed on when the stream ends. One splitter per stream: stdout and stderr interleave.
 */
function lineSplitter(onLine: (line: string) => void): {
	write(chunk: Buffer | string): void;
	end(): void;
} {
	let partial = '';
	return {
		write(chunk) {
			const parts = (partial + chunk.toString()).split('\n');
			partial = parts.pop() ?? '';
			for (const line of parts) onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
		},
		end() {
			if (partial) onLine(partial);
			partial = '';
		}
	};
}

/** Calls `onLine` for every line of `stream` (see lineSplitter). */
export function onLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
	if (!stream) return;
	const splitter = lineSplitter(onLine);
	stream.on('data', (chunk: Buffer) => splitter.write(chunk));
	stream.on('end', () => splitter.end());
}

/** Starts `node --import tsx scripts/embedded/main.ts <args>` with its output piped (read it with waitForReady). */
export function spawnStack(env: NodeJS.ProcessEnv, args: string[] = []): ChildProcess {
	return spawn(process.execPath, ['--import', 'tsx', MAIN_TS, ...args], {
		cwd: PROJECT_ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
		env
	});
}

interface WaitForReadyOptions {
	timeoutMs: number;
	/** Every line of the child's output, before and after it is ready. */
	onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

/**
 * Resolves with the stack's URL once the child prints main.ts's ready line. Rejects if it exits (or cannot be
 * spawned) first, or on timeout; the caller then stops it (stopChild).
 */
export function waitForReady(child: ChildProcess, options: WaitForReadyOptions): Promise<string> {
	return new Promise((resolvePromise, reject) => {
		let settled = false;
		const settle = (fn: () => void) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			fn();
		};
		const timer = setTimeout(
			() =>
				settle(() =>
					reject(new Error(`the embedded stack did not get ready within ${options.timeoutMs / 1000} s`))
				),
			options.timeoutMs
		);
		const watch = (stream: 'stdout' | 'stderr') => (line: string) => {
			options.onLine?.(line, stream);
			if (line.startsWith(READY_LINE_PREFIX))
				settle(() => resolvePromise(line.slice(READY_LINE_PREFIX.length).trim()));
		};
		onLines(child.stdout, watch('stdout'));
		onLines(child.stderr, watch('stderr'));
		// 'close', not 'exit': by then all its output has been read (callers show it in the error).
		child.once('close', (code, signal) =>
			settle(() =>
				reject(
					new Error(
						`the embedded stack exited (${signal ? `signal ${signal}` : `code ${code}`}) before it was ready`
					)
				)
			)
		);
		child.once('error', (err) =>
			settle(() => reject(new Error(`cannot start the embedded stack: ${err.message}`)))
		);
	});
}

/** Stops a child by its own pid: SIGTERM, then SIGKILL after `graceMs`. Resolves once it is gone. */
export async function stopChild(child: ChildProcess | undefined, graceMs = 10_000): Promise<void> {
	// No pid: it never started (spawn error), so there is nothing to stop and no 'exit' will come.
	if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	const gone = new Promise((r) => child.once('exit', r));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
	await gone;
	clearTimeout(timer);
}
