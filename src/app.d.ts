import type { SupabaseClient, User } from '@supabase/supabase-js';
import type { Membership } from '$lib/server/members';
import type { ResponseContext } from '$lib/server/responses';

declare global {
	namespace App {
		interface Locals {
			supabase: SupabaseClient;
			/** The signed-in user, verified with the auth server (never trusted from the cookie alone). */
			user: User | null;
			/** Role and unit from public.memberships; null when the user has none. */
			membership: Membership | null;
			/**
			 * True when the address names a unit code outside the member's own and no unit has that code: the
			 * screens then answer "not found" rather than "forbidden" (see lib/server/access.ts).
			 */
			unitMissing?: boolean;
			/** Same-origin JSON a page will fetch at once (its map layers): named in the document's Link header. */
			preload?: string[];
			/** The response this request shows, read once (see $lib/server/responses). */
			responseContext?: Promise<ResponseContext>;
		}
		interface PageData {
			membership?: Membership | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
