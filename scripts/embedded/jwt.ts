/** HS256 JWT helpers shared by the auth service, the gateway and tests. */
import { SignJWT, jwtVerify, errors, type JWTPayload } from 'jose';

export class JwtError extends Error {}

/** Signs and verifies with one secret, encoded once (the auth service makes one at start-up). */
export interface JwtCodec {
	/** Signs `claims` (which carry their own iat/exp) with HS256, header { alg, typ } as GoTrue writes it. */
	sign(claims: JWTPayload): Promise<string>;
	/** Verifies signature and expiry; throws JwtError saying why a token was refused, GoTrue-style. */
	verify(token: string): Promise<JWTPayload>;
}

export function jwtCodec(secret: string): JwtCodec {
	const key = new TextEncoder().encode(secret);
	return {
		sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key),
		async verify(token) {
			try {
				const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'] });
				return payload;
			} catch (err) {
				if (err instanceof errors.JWTExpired)
					throw new JwtError(
						'invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired'
					);
				throw new JwtError('invalid JWT: unable to parse or verify signature, signature is invalid');
			}
		}
	};
}

/** One-off signing (tests, signApiKey); code that signs repeatedly keeps a jwtCodec instead. */
export function signJwt(claims: JWTPayload, secret: string): Promise<string> {
	return jwtCodec(secret).sign(claims);
}

/**
 * An API key like Supabase's (role anon / service_role) for a custom JWT_SECRET: set SUPABASE_ANON_KEY and
 * SUPABASE_SERVICE_ROLE_KEY to these when you set JWT_SECRET (keys.ts refuses the secret alone), e.g.
 *
 *   JWT_SECRET=... node --import tsx -e "import('./scripts/embedded/jwt.ts').then(async (m) =>
 *     console.log(await m.signApiKey('anon', process.env.JWT_SECRET)))"
 */
export async function signApiKey(
	role: 'anon' | 'service_role',
	secret: string,
	exp = 1983812996
): Promise<string> {
	return signJwt({ iss: 'supabase-demo', role, exp }, secret);
}
