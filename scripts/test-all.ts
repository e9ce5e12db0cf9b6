/**
 * `npm test`: every check and test, in the order that fails fastest, then one closing line with the totals.
 * Type checks and lint, unit tests, database/RLS tests (vitest starts one seeded embedded stack for them),
 * one production build, then the end-to-end tests in Debian's Chromium against that build and one seeded stack.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

interface Step {
	name: string;
	cmd: string;
	args: string[];
	/** A JSON report to read pass/fail counts from. */
	report?: { file: string; kind: 'vitest' | 'playwright' };
}

const steps: Step[] = [
	// `check` compiles the messages (Paraglide) first; lint and the unit tests rely on that.
	{ name: 'types', cmd: 'npm', args: ['run', '-s', 'check'] },
	{ name: 'lint', cmd: 'npm', args: ['run', '-s', 'lint'] },
	{
		name: 'unit + database tests',
		cmd: 'npx',
		args: [
			'vitest',
			'run',
			'--reporter=default',
			'--reporter=json',
			'--outputFile.json=test-results/vitest.json'
		],
		report: { file: 'test-results/vitest.json', kind: 'vitest' }
	},
	{ name: 'build', cmd: 'npx', args: ['vite', 'build'] },
	{
		name: 'end-to-end tests',
		cmd: 'npx',
		args: ['playwright', 'test'],
		report: { file: 'test-results/e2e.json', kind: 'playwright' }
	}
];

let passed = 0;
let failed = 0;
let broken: string | null = null;
rmSync('test-results', { recursive: true, force: true });
rmSync('.data/e2e', { recursive: true, force: true });

for (const step of steps) {
	const started = Date.now();
	console.log(`\n▶ ${step.name}`);
	const run = spawnSync(step.cmd, step.args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
	console.log(`◀ ${step.name}: exit ${run.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	if (step.report && existsSync(step.report.file)) {
		const json = JSON.parse(readFileSync(step.report.file, 'utf8'));
		if (step.report.kind === 'vitest') {
			passed += json.numPassedTests ?? 0;
			failed += json.numFailedTests ?? 0;
		} else {
			passed += json.stats?.expected ?? 0;
			failed += (json.stats?.unexpected ?? 0) + (json.stats?.flaky ?? 0);
		}
	}
	if (run.status !== 0) {
		broken = step.name;
		if (!step.report) failed += 1;
		break;
	}
}

console.log(`\n${broken ? `stopped at: ${broken}` : 'all steps green'}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(broken ? 1 : 0);
