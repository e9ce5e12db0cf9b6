/**
 * PGlite behind a Postgres wire-protocol socket (pglite-socket), made safe for several clients at once.
 *
 * PGlite is ONE session. pglite-socket queues every protocol message of every connection and runs them one at
 * a time; while a transaction is open it only runs messages of the connection that opened it. That is not
 * quite enough: outside a transaction a client's extended-protocol exchange (Parse, Bind, Execute, Sync) is
 * several messages, and when they arrive in several TCP chunks (large parameters) another connection's
 * message can run in between and destroy the unnamed statement ("unnamed prepared statement does not exist").
 *
 * So we replace the queue's scheduling with a stricter rule: a connection owns the session from its first
 * message until the backend reports ReadyForQuery with status Idle ('I'), i.e. until it is neither inside an
 * exchange nor inside a transaction. While we read the backend's output for that, we also pick up
 * NotificationResponse messages, so `NOTIFY pgrst, 'reload schema'` from any client works as on hosted
 * Supabase (PostgREST itself runs with its LISTEN channel off: a shared session cannot hold it).
 *
 * The patch touches private members of pglite-socket's QueryQueueManager (checked below); if a new version
 * changes them we fall back to the stock queue and say so.
 */
import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

type QueueItem = {
	handlerId: number;
	message: Uint8Array;
	resolve: (bytes: number) => void;
	reject: (err: unknown) => void;
	onData: (data: Uint8Array) => void;
};

type QueueInternals = {
	queue: QueueItem[];
	processing: boolean;
	db: PGlite;
	processQueue: () => Promise<void>;
	clearTransactionIfNeeded: (handlerId: number) => Promise<void>;
};

export type NotificationListener = (channel: string, payload: string) => void;

const TERMINATE = 0x58; // 'X'
const SYNC_MESSAGE = new Uint8Array([0x53, 0, 0, 0, 4]); // 'S', length 4

/**
 * Incremental reader of backend messages (type byte, int32 length, body) that reports the status byte of
 * the last ReadyForQuery and every NotificationResponse. Outputs can be large (query results), so it skips
 * over bodies without copying them, and keeps only what straddles two chunks.
 */
class BackendReader {
	private carry = new Uint8Array(0);
	lastStatus: number | null = null;

	constructor(private onNotification: NotificationListener) {}

	push(chunk: Uint8Array): void {
		let buf = chunk;
		if (this.carry.length) {
			buf = new Uint8Array(this.carry.length + chunk.length);
			buf.set(this.carry);
			buf.set(chunk, this.carry.length);
		}
		let pos = 0;
		while (buf.length - pos >= 5) {
			const type = buf[pos];
			const len = ((buf[pos + 1] << 24) | (buf[pos + 2] << 16) | (buf[pos + 3] << 8) | buf[pos + 4]) >>> 0;
			const end = pos + 1 + len;
			if (type === 0x5a /* Z */ || type === 0x41 /* A */) {
				if (end > buf.length) break; // need the whole (small) message
				if (type === 0x5a) this.lastStatus = buf[pos + 5];
				else this.readNotification(buf.subarray(pos + 5, end));
			} else if (end > buf.length) {
				// Skip the rest of a large message without buffering it.
				this.skip = end - buf.length;
				pos = buf.length;
				break;
			}
			pos = end;
		}
		this.carry = pos < buf.length ? buf.slice(pos) : new Uint8Array(0);
	}

	/** Bytes still to ignore from the next chunk (the tail of a large message). */
	private skip = 0;

	feed(chunk: Uint8Array): void {
		if (this.skip) {
			const n = Math.min(this.skip, chunk.length);
			this.skip -= n;
			chunk = chunk.subarray(n);
			if (!chunk.length) return;
		}
		this.push(chunk);
	}

	private readNotification(body: Uint8Array): void {
		// int32 pid, channel\0, payload\0
		const text = new TextDecoder().decode(body.subarray(4));
		const [channel = '', payload = ''] = text.split('\0');
		try {
			this.onNotification(channel, payload);
		} catch (err) {
			console.error('[socket] notification listener failed:', err);
		}
	}
}

function patchQueue(server: PGLiteSocketServer, onNotification: NotificationListener): boolean {
	const q = (server as unknown as { queryQueue?: QueueInternals }).queryQueue;
	if (
		!q ||
		!Array.isArray(q.queue) ||
		typeof q.processQueue !== 'function' ||
		typeof q.clearTransactionIfNeeded !== 'function' ||
		!q.db
	) {
		return false;
	}
	let owner: number | null = null;

	q.processQueue = async function processQueue(this: QueueInternals) {
		if (this.processing) return;
		this.processing = true;
		try {
			while (this.queue.length > 0) {
				const index = owner === null ? 0 : this.queue.findIndex((item) => item.handlerId === owner);
				if (index === -1) return; // the owner's next message has not arrived yet: everyone else waits
				const [item] = this.queue.splice(index, 1);
				const reader = new BackendReader(onNotification);
				try {
					await this.db.runExclusive(() =>
						this.db.execProtocolRawStream(item.message, {
							onRawData: (data: Uint8Array) => {
								reader.feed(data);
								item.onData(data);
							}
						})
					);
				} catch (err) {
					// The stock queue stops for good here; we fail this message and keep serving the others.
					item.reject(err);
					continue;
				}
				if (item.message[0] === TERMINATE) {
					// A client that says goodbye inside a transaction: end it, or everyone else would run inside it.
					if (this.db.isInTransaction()) await this.db.exec('rollback').catch(() => {});
					owner = null;
				} else if (reader.lastStatus === 0x49 /* I */) owner = null;
				else owner = item.handlerId; // mid-exchange, or in a transaction ('T') or a failed one ('E')
				item.resolve(item.message.length);
			}
		} finally {
			this.processing = false;
		}
	};

	// A client that disconnects while it owns the session must not leave it stuck: end its exchange (Sync)
	// and its transaction, then let the others in.
	q.clearTransactionIfNeeded = async function clearTransactionIfNeeded(
		this: QueueInternals,
		handlerId: number
	) {
		if (owner !== handlerId) return;
		await this.db
			.runExclusive(() => this.db.execProtocolRawStream(SYNC_MESSAGE, { onRawData: () => {} }))
			.catch(() => {});
		if (this.db.isInTransaction()) await this.db.exec('rollback').catch(() => {});
		owner = null;
		await this.processQueue();
	};
	return true;
}

export interface SocketOptions {
	db: PGlite;
	host: string;
	port: number;
	maxConnections: number;
	onNotification?: NotificationListener;
}

/** Starts the socket server. Rejects with the listen error (EADDRINUSE ...) if the port cannot be bound. */
export async function startSocketServer(options: SocketOptions): Promise<PGLiteSocketServer> {
	const server = new PGLiteSocketServer({
		db: options.db,
		host: options.host,
		port: options.port,
		maxConnections: options.maxConnections
	});
	if (!patchQueue(server, options.onNotification ?? (() => {}))) {
		console.warn(
			'[socket] pglite-socket internals changed: using its stock queue (large concurrent statements may interleave, NOTIFY pgrst is not seen)'
		);
	}
	await server.start();
	return server;
}
