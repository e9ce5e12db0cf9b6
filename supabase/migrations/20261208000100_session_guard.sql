-- Every token of a signed-out, banned or deleted person stops working at once, REST included (issue #16, item 3).
--
-- An access token is a signed JWT that PostgREST checks on its own: without this, a token kept reading
-- /rest/v1 until it expired (an hour) after its session was signed out, its user banned (auth.users.banned_until)
-- or deleted. PostgREST calls guard.check_session() before every request (its db-pre-request), as the request's
-- role and with the request's claims set, and answers the request with the error it raises:
--
--   401 {"code":"session_not_found"}  the token names a session (claim session_id) that no longer exists:
--                                      signed out (POST /auth/v1/logout), ended by a password change, or its
--                                      user deleted (sessions go with the user);
--   401 {"code":"user_not_found"}     the token's user (claim sub) is gone or soft-deleted (deleted_at);
--   403 {"code":"user_banned"}        the user is banned (banned_until in the future): GoTrue's words for it.
--
-- Requests without a user (anon key, service_role key) pass untouched. A token with a user but no session_id
-- (signed by hand with the JWT secret; GoTrue always writes one) is checked for its user only. Two primary-key
-- lookups per request. The body and headers of the answer are PostgREST's for RAISE SQLSTATE 'PGRST'
-- (message: the JSON error, detail: status and headers); the app never reads these codes itself: its hooks ask
-- the auth service for the user first (GET /auth/v1/user refuses the same tokens) and send the person to sign in.
--
-- The function lives in its own schema, `guard`, not in `private`: PostgREST runs it as the request's role,
-- anon included, so that role needs USAGE on its schema, and USAGE on `private` would open its other functions
-- to anon. `guard` holds this one function and is not among PostgREST's exposed schemas (no /rpc route).
--
-- Where PostgREST finds it: `pgrst.db_pre_request` on the authenticator role (PostgREST 12's in-database
-- configuration, read at start and on `NOTIFY pgrst, 'reload config'`; hosted Supabase documents exactly this),
-- and the embedded stack's PostgREST also gets PGRST_DB_PRE_REQUEST (scripts/embedded/postgrest.ts): over PGlite's
-- single shared session PostgREST does not pick up the role setting.

create schema if not exists guard;
revoke all on schema guard from public;
grant usage on schema guard to anon, authenticated, service_role;

create or replace function guard.check_session() returns void
language plpgsql stable security definer
set search_path = ''
as $fn$
declare
	v_claims jsonb := nullif(current_setting('request.jwt.claims', true), '')::jsonb;
	v_sub text := v_claims ->> 'sub';
	v_session text := v_claims ->> 'session_id';
	v_found boolean := false;
	v_banned_until timestamptz;
	v_deleted_at timestamptz;
begin
	if v_sub is null or v_sub = '' or coalesce(v_claims ->> 'role', '') = 'service_role' then
		return;
	end if;

	-- A sub that is not a uuid names no user of auth.users.
	if v_sub ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
		select true, u.banned_until, u.deleted_at into v_found, v_banned_until, v_deleted_at
		  from auth.users u where u.id = v_sub::uuid;
	end if;
	if not coalesce(v_found, false) or v_deleted_at is not null then
		raise sqlstate 'PGRST' using
			message = '{"code":"user_not_found","message":"User from sub claim in JWT does not exist","details":null,"hint":"user_not_found"}',
			detail = '{"status":401,"headers":{"WWW-Authenticate":"Bearer error=\"invalid_token\", error_description=\"user not found\""}}';
	end if;
	if v_banned_until is not null and v_banned_until > now() then
		raise sqlstate 'PGRST' using
			message = '{"code":"user_banned","message":"User is banned","details":null,"hint":"user_banned"}',
			detail = '{"status":403,"headers":{}}';
	end if;

	if v_session is not null and v_session <> '' and (
		v_session !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
		or not exists (select 1 from auth.sessions s where s.id = v_session::uuid and s.user_id = v_sub::uuid)
	) then
		raise sqlstate 'PGRST' using
			message = '{"code":"session_not_found","message":"Session from session_id claim in JWT does not exist","details":null,"hint":"session_not_found"}',
			detail = '{"status":401,"headers":{"WWW-Authenticate":"Bearer error=\"invalid_token\", error_description=\"session not found\""}}';
	end if;
end
$fn$;

comment on function guard.check_session() is
	'PostgREST db-pre-request: refuses a token whose session was ended or whose user is banned or deleted.';

revoke all on function guard.check_session() from public;
grant execute on function guard.check_session() to anon, authenticated, service_role;

-- The same test as a yes or no, for policies that guard what PostgREST's pre-request does not see: Realtime's
-- joins (…1208000200_realtime.sql), which hosted and embedded Realtime authorize by reading realtime.messages
-- as the caller. A token without a session_id (made with the JWT secret, not by sign-in) is judged by its user.
create function guard.session_alive() returns boolean
language sql stable security definer set search_path = '' as $$
	select coalesce((
		select u.deleted_at is null and (u.banned_until is null or u.banned_until <= now())
			and (nullif(auth.jwt() ->> 'session_id', '') is null
				or exists (select 1 from auth.sessions s where s.id::text = auth.jwt() ->> 'session_id'))
		from auth.users u where u.id = auth.uid()), false)
$$;
revoke all on function guard.session_alive() from public;
grant execute on function guard.session_alive() to authenticated, service_role;

alter role authenticator set pgrst.db_pre_request = 'guard.check_session';
notify pgrst, 'reload config';
