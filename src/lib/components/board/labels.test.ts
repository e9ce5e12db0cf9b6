import { describe, expect, it } from 'vitest';
import { entryNotice } from './labels';

describe('entryNotice', () => {
	it('follows an entry from the phone to the server', () => {
		expect(entryNotice({ state: 'pending', retrying: false }, true)).toEqual({
			text: '已保存在本机，正在同步',
			error: false
		});
		expect(entryNotice({ state: 'pending', retrying: false }, false)?.text).toBe(
			'已保存在本机，联网后自动同步'
		);
		expect(entryNotice({ state: 'pending', retrying: true }, true)?.text).toBe(
			'已保存在本机；服务器暂时出错，稍后自动重试'
		);
		expect(entryNotice({ state: 'sent' }, true)).toEqual({ text: '已同步到服务器', error: false });
	});

	it('says why the server refused it, and nothing once it is discarded', () => {
		expect(entryNotice({ state: 'failed', error: '不在本社区' }, true)).toEqual({
			text: '没能同步：不在本社区。请在下方待同步列表里重试或放弃',
			error: true
		});
		expect(entryNotice({ state: 'discarded' }, true)).toBeNull();
	});
});
