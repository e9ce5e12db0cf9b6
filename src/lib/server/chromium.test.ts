import { readdirSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, PLAYWRIGHT_DISABLED_FEATURES } from './chromium';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

/** The command lines of a process and all its descendants (Linux /proc). */
function tree(root: number): string[][] {
	const children = new Map<number, number[]>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			// pid (comm) state ppid …: comm may hold spaces, so read after its closing parenthesis.
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
		} catch {
			// the process ended while the list was read
		}
	}
	const out: string[][] = [];
	const queue = [root];
	while (queue.length) {
		const pid = queue.shift()!;
		try {
			out.push(cmdline(pid));
		} catch {
			continue;
		}
		queue.push(...(children.get(pid) ?? []));
	}
	return out;
}

/** Opens a page in a browser started with `args` and returns the renderers it runs for Chromium's own UI. */
async function topChromeRenderers(args: string[]): Promise<number> {
	const server = await chromium.launchServer({ executablePath, args });
	try {
		const browser = await chromium.connect(server.wsEndpoint());
		const page = await (await browser.newContext()).newPage();
		await page.setContent('<p>网格通</p>');
		// The popup's renderer is started with the window, and kept.
		await new Promise((r) => setTimeout(r, 1500));
		// Processes forked by the zygote rewrite their command line as one string: look for the switch in it.
		const count = tree(server.process().pid!).filter((argv) =>
			` ${argv.join(' ')} `.includes(' --top-chrome-webui ')
		).length;
		await browser.close();
		return count;
	} finally {
		await server.close();
	}
}

describe('the Chromium flags', () => {
	it("carry Playwright's own disabled features (Chromium keeps only the last --disable-features)", async () => {
		const server = await chromium.launchServer({ executablePath });
		try {
			const argv = cmdline(server.process().pid!);
			const theirs = argv
				.filter((a) => a.startsWith('--disable-features='))
				.flatMap((a) => a.slice('--disable-features='.length).split(','));
			expect(theirs.length).toBeGreaterThan(0);
			expect(theirs.filter((f) => !(PLAYWRIGHT_DISABLED_FEATURES as readonly string[]).includes(f))).toEqual(
				[]
			);
		} finally {
			await server.close();
		}
	}, 30_000);

	it('pass one --disable-features only', () => {
		expect(CHROMIUM_ARGS.filter((a) => a.startsWith('--disable-features='))).toHaveLength(1);
	});

	it("leave out the omnibox popup's renderer that headless Chromium builds for every window", async () => {
		// Without the flags this Chromium runs one: the check below would see it.
		expect(await topChromeRenderers(['--use-angle=swiftshader'])).toBeGreaterThan(0);
		expect(await topChromeRenderers([...CHROMIUM_ARGS])).toBe(0);
	}, 60_000);
});
