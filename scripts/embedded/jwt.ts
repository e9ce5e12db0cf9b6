/** HS256 JWT helpers shared by the auth service, the gateway and tests. */
import { SignJWT, jwtVerify, errors, type JWTPayload } from 'jose';

const encoder = new TextEncoder();

export function secretKey(secret: string): Uint8Array {
	return encoder.encode(secret);
}

/** Signs `claims` (which carry their own iat/exp) with HS256, header { alg, typ } as GoTrue writes it. */
export async function signJwt(claims: JWTPayload, secret: string): Promise<string> {
	return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secretKey(secret));
}

export class JwtError extends Error {}

/** Verifies signature and expiry; the message says why a token was refused, GoTrue-style. */
export async function verifyJwt(token: string, secret: string): Promise<JWTPayload> {
	try {
		const { payload } = await jwtVerify(token, secretKey(secret), { algorithms: ['HS256'] });
		return payload;
	} catch (err) {
		if (err instanceof errors.JWTExpired)
			throw new JwtError(
				'invalid JWT: unable to parse or verify signature, token has invalid claims: token is expired'
			);
		throw new JwtError('invalid JWT: unable to parse or verify signature, signature is invalid');
	}
}

/** An API key like Supabase's (role anon / service_role), for a custom JWT_SECRET. */
export async function signApiKey(
	role: 'anon' | 'service_role',
	secret: string,
	exp = 1983812996
): Promise<string> {
	return signJwt({ iss: 'supabase-demo', role, exp }, secret);
}
