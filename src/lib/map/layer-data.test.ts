import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UNTAKEN_MS, layerFetch, prefetchLayer } from './layer-data';

const calls: string[] = [];

beforeEach(() => {
	calls.length = 0;
	vi.useFakeTimers();
	vi.stubGlobal('fetch', async (url: string) => {
		calls.push(url);
		return new Response(JSON.stringify({ type: 'FeatureCollection', features: [], url }), { status: 200 });
	});
});
afterEach(() => {
	vi.useRealTimers();
	vi.unstubAllGlobals();
});

const signal = () => new AbortController().signal;

describe('layer data fetches', () => {
	it('hands a prefetch that has already arrived to the layer that takes it, without a second request', async () => {
		prefetchLayer('/a?date=1');
		prefetchLayer('/a?date=1');
		await vi.advanceTimersByTimeAsync(1000); // the map library loads meanwhile; the response is in
		const data = await layerFetch('/a?date=1', signal());
		expect(data).toMatchObject({ url: '/a?date=1' });
		expect(calls).toEqual(['/a?date=1']);
	});

	it('serves a prefetch once: the next reader of the URL fetches afresh', async () => {
		prefetchLayer('/b');
		await layerFetch('/b', signal());
		await layerFetch('/b', signal());
		expect(calls).toEqual(['/b', '/b']);
	});

	it('drops a prefetch nobody took after a while', async () => {
		prefetchLayer('/c');
		await vi.advanceTimersByTimeAsync(UNTAKEN_MS + 1);
		await layerFetch('/c', signal());
		expect(calls).toEqual(['/c', '/c']);
	});

	it('rejects with AbortError when the layer goes away first, and reports a failed response', async () => {
		const controller = new AbortController();
		const pending = layerFetch('/d', controller.signal);
		controller.abort();
		await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
		vi.stubGlobal('fetch', async () => new Response('no', { status: 500 }));
		await expect(layerFetch('/e', signal())).rejects.toThrow('500');
	});
});
