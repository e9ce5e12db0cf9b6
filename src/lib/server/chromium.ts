/**
 * The flags every headless Chromium of this project runs with: the server's PDF printer (./pdf.ts), the
 * end-to-end tests (playwright.config.ts) and the map benchmarks (scripts/bench). One list, so what the tests
 * and the benchmarks measure is the browser the app prints with.
 *
 * - No sandbox (containers), SwiftShader for the map's WebGL (these machines have no GPU), and none of
 *   Chromium's own attempts to reach the internet.
 * - Without the omnibox popup drawn as a web page (WebUI). Headless Chromium builds that popup for every new
 *   window, and Playwright opens a window for every page: a renderer process runs the popup's scripts, about half
 *   a second of CPU a page, on a two-core machine one of the cores while the page that was asked for loads, and
 *   nobody ever sees it (headless has no address bar). Measured on the community map (`bench:map`, with and
 *   without): the empty MapLibre page's floor went from 330–400 to 230–260 ms, the view from 0.9–1.1 s to
 *   0.76–0.84 s.
 *
 * Chromium keeps only the last `--disable-features` it is given, and Playwright passes one of its own first: ours
 * must carry Playwright's list as well, or those features come back on. ./chromium.test.ts checks the copy below
 * against the Playwright installed, and that the popup's process is really gone.
 */

/** Playwright's own `--disable-features` (playwright-core 1.65, chromiumSwitches.ts). */
export const PLAYWRIGHT_DISABLED_FEATURES = [
	'AvoidUnnecessaryBeforeUnloadCheckSync',
	'DestroyProfileOnBrowserClose',
	'HttpsUpgrades',
	'HttpsFirstBalancedModeAutoEnable',
	'LensOverlay',
	'MediaRouter',
	'PaintHolding',
	'ThirdPartyStoragePartitioning',
	'AvoidCorsURLLoaderRestartOnRedirect',
	'TcpPortRandomizationWin',
	'OptimizationHints',
	'NetworkTimeServiceQuerying',
	'AimEnabled',
	'PreconnectToSearch',
	'msForceBrowserSignIn',
	'msEdgeUpdateLaunchServicesPreferredVersion'
] as const;

/** The omnibox popup as WebUI (both its suggestion list and its AI-mode box). */
export const HIDDEN_UI_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'] as const;

export const CHROMIUM_ARGS: readonly string[] = [
	'--no-sandbox',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic',
	'--use-angle=swiftshader',
	'--enable-unsafe-swiftshader',
	`--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...HIDDEN_UI_FEATURES].join(',')}`
];
