/**
 * Sign-in throttling of the embedded auth service: failed password sign-ins are counted per account (the email
 * asked for, known or not) and per client address over a sliding window. Once either count reaches its limit,
 * every sign-in for that account / from that address is answered 429 with Retry-After — the right password
 * included — until enough failures have left the window. A successful sign-in counts nothing and clears the
 * account's failures (not the address's: a sprayer who guesses one account right keeps their address count).
 *
 * In memory, like GoTrue's own limiters (tollbooth): a restart of the stack forgets the counts.
 * Pure apart from the clock, which tests pass in.
 */

export interface ThrottleLimits {
	/** Failed sign-ins of one account within the window before it is locked (0: no account limit). */
	perAccount: number;
	/** Failed sign-ins from one client address within the window before it is locked (0: no address limit). */
	perAddress: number;
	/** The window, in seconds. */
	windowSeconds: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = { perAccount: 10, perAddress: 30, windowSeconds: 900 };

/** Reads GOTRUE_SIGN_IN_MAX_FAILURES_PER_ACCOUNT, …_PER_ADDRESS and GOTRUE_SIGN_IN_FAILURE_WINDOW (seconds). */
export function throttleLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): ThrottleLimits {
	const read = (name: string, fallback: number) => {
		const raw = env[name];
		if (raw === undefined || raw === '') return fallback;
		const n = Number(raw);
		if (!Number.isInteger(n) || n < 0) throw new Error(`${name}=${raw} is not a whole number`);
		return n;
	};
	const limits = {
		perAccount: read('GOTRUE_SIGN_IN_MAX_FAILURES_PER_ACCOUNT', DEFAULT_THROTTLE_LIMITS.perAccount),
		perAddress: read('GOTRUE_SIGN_IN_MAX_FAILURES_PER_ADDRESS', DEFAULT_THROTTLE_LIMITS.perAddress),
		windowSeconds: read('GOTRUE_SIGN_IN_FAILURE_WINDOW', DEFAULT_THROTTLE_LIMITS.windowSeconds)
	};
	if (limits.windowSeconds < 1) throw new Error('GOTRUE_SIGN_IN_FAILURE_WINDOW must be at least 1 second');
	return limits;
}

/** One client address per host: IPv4-mapped IPv6 (::ffff:1.2.3.4) counts as the IPv4 address. */
export function normaliseAddress(address: string | undefined): string {
	const a = (address ?? '').trim().toLowerCase();
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
	return mapped ? mapped[1] : a || 'unknown';
}

export class SignInThrottle {
	private readonly failures = new Map<string, number[]>();
	private sweeps = 0;

	constructor(
		readonly limits: ThrottleLimits,
		private readonly now: () => number = Date.now
	) {}

	/** Seconds until a sign-in for `account` from `address` may be tried again; 0 when it may now. */
	retryAfter(account: string, address: string): number {
		const t = this.now();
		const wait = Math.max(
			this.waitFor(`account:${account.toLowerCase()}`, this.limits.perAccount, t),
			this.waitFor(`address:${normaliseAddress(address)}`, this.limits.perAddress, t)
		);
		return wait > 0 ? Math.ceil(wait / 1000) : 0;
	}

	/** Counts a failed sign-in (wrong password, unknown email) against the account and the address. */
	fail(account: string, address: string): void {
		const t = this.now();
		for (const key of [`account:${account.toLowerCase()}`, `address:${normaliseAddress(address)}`]) {
			const list = this.recent(key, t);
			list.push(t);
			this.failures.set(key, list);
		}
		if (++this.sweeps % 1000 === 0) this.sweep(t);
	}

	/** A successful sign-in: the account's failures are forgiven. */
	succeed(account: string): void {
		this.failures.delete(`account:${account.toLowerCase()}`);
	}

	/** Milliseconds until `key` has fewer than `limit` failures in the window (0 if it has already). */
	private waitFor(key: string, limit: number, t: number): number {
		if (limit <= 0) return 0;
		const list = this.recent(key, t);
		if (list.length < limit) return 0;
		// The (length - limit + 1)-th oldest failure has to leave the window for the count to drop below limit.
		return list[list.length - limit] + this.limits.windowSeconds * 1000 - t;
	}

	private recent(key: string, t: number): number[] {
		const since = t - this.limits.windowSeconds * 1000;
		const list = (this.failures.get(key) ?? []).filter((at) => at > since);
		if (list.length) this.failures.set(key, list);
		else this.failures.delete(key);
		return list;
	}

	/** Drops keys whose failures have all left the window, so memory stays bounded by recent activity. */
	private sweep(t: number): void {
		for (const key of [...this.failures.keys()]) this.recent(key, t);
	}
}
