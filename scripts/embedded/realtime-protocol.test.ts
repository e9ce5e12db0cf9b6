/**
 * The wire format of realtime-protocol.ts against the serializer realtime-js itself uses (its vsn 2.0.0
 * Serializer encodes what a client sends and decodes what a server sends), so a mismatch with the installed
 * client fails here, not only in the db tests.
 */
import { describe, expect, it } from 'vitest';
import Serializer from '@supabase/realtime-js/dist/main/lib/serializer.js';
import {
	decodeFrame,
	encodeBroadcast,
	encodeReply,
	joinTokenReason,
	parseJoin,
	parseVsn,
	secondsSinceExpiry,
	shutdownTokenMessage,
	unauthorizedReason
} from './realtime-protocol';

type Decoded = {
	join_ref: string | null;
	ref: string | null;
	topic: string;
	event: string;
	payload: unknown;
};

// The package is CommonJS compiled from TypeScript: the class is the module's `default`.
const SerializerClass = ((Serializer as unknown as { default?: unknown }).default ??
	Serializer) as new () => {
	encode(msg: unknown, cb: (out: unknown) => unknown): unknown;
	decode(raw: unknown, cb: (msg: Decoded) => unknown): unknown;
};
const client = new SerializerClass();
const encodeAsClient = (msg: unknown) => client.encode(msg, (out) => out) as string | ArrayBuffer;
const decodeAsClient = (raw: string | ArrayBuffer) => client.decode(raw, (m) => m) as Decoded;
const toArrayBuffer = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

describe('vsn', () => {
	it('speaks 1.0.0 (the default when absent) and 2.0.0, nothing else', () => {
		expect(parseVsn(null)).toBe('1.0.0');
		expect(parseVsn('1.0.0')).toBe('1.0.0');
		expect(parseVsn('2.0.0')).toBe('2.0.0');
		expect(parseVsn('3.0.0')).toBeNull();
	});
});

describe('decoding what realtime-js sends', () => {
	it('reads a vsn 2.0.0 join as an array frame', () => {
		const raw = encodeAsClient({
			join_ref: '1',
			ref: '1',
			topic: 'realtime:unit:5105',
			event: 'phx_join',
			payload: { config: { private: true }, access_token: 'x.y.z' }
		});
		expect(typeof raw).toBe('string');
		expect(decodeFrame('2.0.0', raw as string, false)).toEqual({
			join_ref: '1',
			ref: '1',
			topic: 'realtime:unit:5105',
			event: 'phx_join',
			payload: { config: { private: true }, access_token: 'x.y.z' }
		});
	});

	it('reads a vsn 1.0.0 object frame, and a heartbeat without join_ref', () => {
		const raw = JSON.stringify({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: '7' });
		expect(decodeFrame('1.0.0', raw, false)).toEqual({
			join_ref: null,
			ref: '7',
			topic: 'phoenix',
			event: 'heartbeat',
			payload: {}
		});
	});

	it('reads a client broadcast, which vsn 2.0.0 sends as a binary user-broadcast push', () => {
		const raw = encodeAsClient({
			join_ref: '3',
			ref: '4',
			topic: 'realtime:room',
			event: 'broadcast',
			payload: { type: 'broadcast', event: 'cursor', payload: { x: 1, y: [2, 3] } }
		});
		expect(raw).toBeInstanceOf(ArrayBuffer);
		expect(decodeFrame('2.0.0', Buffer.from(raw as ArrayBuffer), true)).toEqual({
			join_ref: '3',
			ref: '4',
			topic: 'realtime:room',
			event: 'broadcast',
			payload: { type: 'broadcast', event: 'cursor', payload: { x: 1, y: [2, 3] } }
		});
	});

	it('refuses frames that are not messages', () => {
		expect(() => decodeFrame('2.0.0', '{"topic":"x"}', false)).toThrow(/V2 array/);
		expect(() => decodeFrame('1.0.0', '[1,2]', false)).toThrow(/message object/);
		expect(() => decodeFrame('2.0.0', 'not json', false)).toThrow(/not JSON/);
		expect(() => decodeFrame('2.0.0', Buffer.from([9, 0, 0]), true)).toThrow(/unknown binary/);
		expect(() => decodeFrame('2.0.0', Buffer.from([3, 5, 0, 0, 0, 0, 1, 65]), true)).toThrow(/truncated/);
		expect(() => decodeFrame('1.0.0', Buffer.from([3]), true)).toThrow(/vsn 2.0.0/);
	});
});

describe('encoding what realtime-js receives', () => {
	it('frames a reply as realtime-js decodes it, in both versions', () => {
		const v2 = encodeReply('2.0.0', '1', '2', 'realtime:unit:5105', 'ok', { postgres_changes: [] });
		expect(decodeAsClient(v2)).toEqual({
			join_ref: '1',
			ref: '2',
			topic: 'realtime:unit:5105',
			event: 'phx_reply',
			payload: { status: 'ok', response: { postgres_changes: [] } }
		});
		const v1 = JSON.parse(encodeReply('1.0.0', null, '9', 'phoenix', 'ok', {}));
		expect(v1).toEqual({
			topic: 'phoenix',
			event: 'phx_reply',
			payload: { status: 'ok', response: {} },
			ref: '9',
			join_ref: null
		});
	});

	it('frames a broadcast from the database as the binary user broadcast hosted sends (vsn 2.0.0)', () => {
		const frame = encodeBroadcast('2.0.0', {
			topic: 'realtime:unit:510502001006',
			event: 'coverage',
			payload: { unit: '510502001006', count: 3 },
			meta: { id: 'a0b1' }
		});
		expect(Buffer.isBuffer(frame)).toBe(true);
		expect(decodeAsClient(toArrayBuffer(frame as Buffer))).toEqual({
			join_ref: null,
			ref: null,
			topic: 'realtime:unit:510502001006',
			event: 'broadcast',
			payload: {
				type: 'broadcast',
				event: 'coverage',
				payload: { unit: '510502001006', count: 3 },
				meta: { id: 'a0b1' }
			}
		});
	});

	it('frames a broadcast as JSON for vsn 1.0.0, and a binary payload as bytes for 2.0.0', () => {
		const v1 = JSON.parse(
			encodeBroadcast('1.0.0', { topic: 'realtime:t', event: 'e', payload: { a: 1 } }) as string
		);
		expect(v1).toEqual({
			topic: 'realtime:t',
			event: 'broadcast',
			payload: { type: 'broadcast', event: 'e', payload: { a: 1 } },
			ref: null,
			join_ref: null
		});
		const bin = encodeBroadcast('2.0.0', {
			topic: 'realtime:t',
			event: 'e',
			payload: undefined,
			binary: new Uint8Array([1, 2, 255])
		});
		const decoded = decodeAsClient(toArrayBuffer(bin as Buffer));
		const payload = decoded.payload as { payload: ArrayBuffer; meta?: unknown };
		expect([...new Uint8Array(payload.payload)]).toEqual([1, 2, 255]);
		expect(payload.meta).toBeUndefined();
	});

	it('refuses a topic longer than the frame can say', () => {
		expect(() => encodeBroadcast('2.0.0', { topic: 'x'.repeat(256), event: 'e', payload: {} })).toThrow(
			/255 bytes/
		);
	});
});

describe('join payloads', () => {
	it('reads the config realtime-js sends, and the legacy user_token', () => {
		expect(
			parseJoin({
				config: {
					broadcast: { ack: true, self: false },
					presence: { key: '', enabled: false },
					postgres_changes: [],
					private: true
				},
				access_token: 'tok'
			})
		).toEqual({
			private: true,
			ackBroadcast: true,
			selfBroadcast: false,
			presenceEnabled: false,
			postgresChanges: 0,
			accessToken: 'tok'
		});
		expect(parseJoin({ user_token: 'u', config: { postgres_changes: [{ event: '*' }] } })).toMatchObject({
			private: false,
			postgresChanges: 1,
			accessToken: 'u'
		});
		expect(parseJoin(null)).toMatchObject({ private: false, accessToken: null });
	});
});

describe('hosted Realtime’s words', () => {
	it('refuses joins with the reasons hosted gives', () => {
		expect(joinTokenReason({ kind: 'expired', secondsAgo: 12 })).toBe(
			'InvalidJWTToken: Token has expired 12 seconds ago'
		);
		expect(joinTokenReason({ kind: 'signature' })).toBe(
			'JwtSignatureError: Failed to validate JWT signature'
		);
		expect(joinTokenReason({ kind: 'malformed' })).toBe(
			'MalformedJWT: The token provided is not a valid JWT'
		);
		expect(joinTokenReason({ kind: 'missing_claims' })).toBe(
			'InvalidJWTToken: Fields `role` and `exp` are required in JWT'
		);
		expect(unauthorizedReason('unit:5105')).toBe(
			'Unauthorized: You do not have permissions to read from this Channel topic: unit:5105'
		);
	});

	it('ends open channels with the bare message', () => {
		expect(shutdownTokenMessage({ kind: 'expired', secondsAgo: 0 })).toBe('Token has expired 0 seconds ago');
		expect(secondsSinceExpiry(1000, 1_000_999)).toBe(0);
		expect(secondsSinceExpiry(1000, 1_003_000)).toBe(3);
	});
});
