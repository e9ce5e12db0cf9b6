-- What a hosted Supabase database already has before the project's first migration runs.
-- Migrations must never create any of this; the embedded stack (PGlite) and the PostgreSQL 15 test harness
-- run this file first so that the same migrations work in all three places.
--
-- Runs as a superuser, is idempotent (every start of a test harness may run it again), and uses only SQL that
-- both PGlite (Postgres 18 in WASM) and PostgreSQL 15 accept.

-- ---------------------------------------------------------------------------------------------------------
-- API roles. PostgREST logs in as `authenticator` and switches to the role named in the request's JWT.
-- ---------------------------------------------------------------------------------------------------------
do $roles$
begin
	if not exists (select 1 from pg_roles where rolname = 'anon') then
		create role anon nologin noinherit;
	end if;
	if not exists (select 1 from pg_roles where rolname = 'authenticated') then
		create role authenticated nologin noinherit;
	end if;
	if not exists (select 1 from pg_roles where rolname = 'service_role') then
		create role service_role nologin noinherit bypassrls;
	end if;
	if not exists (select 1 from pg_roles where rolname = 'authenticator') then
		-- The password only matters on a real server; PGlite accepts any login.
		create role authenticator login noinherit password 'postgres';
	end if;
end
$roles$;

-- Re-assert the attributes too, in case a role existed with other ones (e.g. created by hand).
alter role anon nologin;
alter role authenticated nologin;
alter role service_role nologin bypassrls;
alter role authenticator login noinherit;

grant anon, authenticated, service_role to authenticator;

-- Hosted Supabase limits API requests per role; PostgREST 12 applies these role settings on SET ROLE.
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';

-- ---------------------------------------------------------------------------------------------------------
-- Extensions live in their own schema, as on hosted Supabase (so `public` only holds the app's objects).
-- ---------------------------------------------------------------------------------------------------------
create schema if not exists extensions;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists btree_gist with schema extensions;
grant usage on schema extensions to anon, authenticated, service_role;

-- Sessions of the admin role (migrations, seeds, psql) find gen_salt(), crypt(), digest() ... unqualified,
-- as on hosted Supabase. Takes effect for new sessions.
alter role postgres set search_path = "$user", public, extensions;

-- ---------------------------------------------------------------------------------------------------------
-- auth: the subset of GoTrue's schema that the app, its seeds and the embedded auth service use.
-- Column names and types follow GoTrue so seeds written for hosted Supabase run here unchanged.
-- ---------------------------------------------------------------------------------------------------------
create schema if not exists auth;

create table if not exists auth.users (
	instance_id uuid,
	id uuid primary key default gen_random_uuid(),
	aud varchar(255) default 'authenticated',
	role varchar(255) default 'authenticated',
	email varchar(255) unique,
	encrypted_password varchar(255),
	email_confirmed_at timestamptz,
	invited_at timestamptz,
	-- GoTrue reads these token columns as non-null strings; seeds that copy hosted rows fill them with ''.
	confirmation_token varchar(255) default '',
	confirmation_sent_at timestamptz,
	recovery_token varchar(255) default '',
	recovery_sent_at timestamptz,
	email_change_token_new varchar(255) default '',
	email_change varchar(255) default '',
	email_change_sent_at timestamptz,
	last_sign_in_at timestamptz,
	raw_app_meta_data jsonb default '{}'::jsonb,
	raw_user_meta_data jsonb default '{}'::jsonb,
	is_super_admin boolean,
	created_at timestamptz default now(),
	updated_at timestamptz default now(),
	phone text unique,
	phone_confirmed_at timestamptz,
	phone_change text default '',
	phone_change_token varchar(255) default '',
	email_change_token_current varchar(255) default '',
	email_change_confirm_status smallint default 0,
	banned_until timestamptz,
	reauthentication_token varchar(255) default '',
	is_sso_user boolean not null default false,
	deleted_at timestamptz,
	is_anonymous boolean not null default false
);

create table if not exists auth.identities (
	id uuid primary key default gen_random_uuid(),
	provider_id text not null,
	user_id uuid not null references auth.users (id) on delete cascade,
	identity_data jsonb not null,
	provider text not null,
	last_sign_in_at timestamptz,
	created_at timestamptz default now(),
	updated_at timestamptz default now(),
	email text generated always as (lower(identity_data ->> 'email')) stored,
	unique (provider_id, provider)
);

create table if not exists auth.sessions (
	id uuid primary key default gen_random_uuid(),
	user_id uuid not null references auth.users (id) on delete cascade,
	created_at timestamptz default now(),
	updated_at timestamptz default now(),
	aal text default 'aal1',
	not_after timestamptz,
	refreshed_at timestamp,
	user_agent text
);
create index if not exists sessions_user_id_idx on auth.sessions (user_id);

create table if not exists auth.refresh_tokens (
	instance_id uuid,
	id bigserial primary key,
	token varchar(255) unique,
	user_id uuid,
	revoked boolean default false,
	created_at timestamptz default now(),
	updated_at timestamptz default now(),
	parent varchar(255),
	session_id uuid references auth.sessions (id) on delete cascade
);
create index if not exists refresh_tokens_session_id_revoked_idx on auth.refresh_tokens (session_id, revoked);
-- The auth service looks up a rotated token's child (refresh-token reuse interval), as GoTrue does.
create index if not exists refresh_tokens_parent_idx on auth.refresh_tokens (parent);

-- The request helpers. PostgREST >= 9 puts all claims as JSON in request.jwt.claims (set locally, per request);
-- PostgREST < 9 set one setting per claim (request.jwt.claim.sub ...). We read request.jwt.claims first, and the
-- legacy setting only when there are no claims at all — not merely no `sub` in them, as an anon request has.
-- (GoTrue's own migration reads the legacy key first. Harmless on a server where nothing sets it, but on PGlite
-- every client shares ONE session, so one stray session-level `set request.jwt.claim.sub = ...` from psql or a
-- script would become the uid of every later request.)
-- nullif(..., '') because a setting that was set locally in an earlier transaction of the same session reads
-- back as '' rather than null.
create or replace function auth.uid() returns uuid
language sql stable
as $fn$
	select nullif(case
		when nullif(current_setting('request.jwt.claims', true), '') is not null
			then current_setting('request.jwt.claims', true)::jsonb ->> 'sub'
		else current_setting('request.jwt.claim.sub', true)
	end, '')::uuid
$fn$;

create or replace function auth.role() returns text
language sql stable
as $fn$
	select nullif(case
		when nullif(current_setting('request.jwt.claims', true), '') is not null
			then current_setting('request.jwt.claims', true)::jsonb ->> 'role'
		else current_setting('request.jwt.claim.role', true)
	end, '')::text
$fn$;

create or replace function auth.email() returns text
language sql stable
as $fn$
	select nullif(case
		when nullif(current_setting('request.jwt.claims', true), '') is not null
			then current_setting('request.jwt.claims', true)::jsonb ->> 'email'
		else current_setting('request.jwt.claim.email', true)
	end, '')::text
$fn$;

create or replace function auth.jwt() returns jsonb
language sql stable
as $fn$
	select coalesce(
		nullif(current_setting('request.jwt.claims', true), ''),
		nullif(current_setting('request.jwt.claim', true), '')
	)::jsonb
$fn$;

comment on function auth.uid() is 'Deprecated. Use auth.jwt() -> ''sub'' instead.';
comment on function auth.role() is 'Deprecated. Use auth.jwt() -> ''role'' instead.';
comment on function auth.email() is 'Deprecated. Use auth.jwt() -> ''email'' instead.';

-- The API roles may call the helpers (RLS policies do) but cannot read auth's tables.
grant usage on schema auth to anon, authenticated, service_role;
grant execute on function auth.uid(), auth.role(), auth.email(), auth.jwt() to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------------------
-- public: as on hosted Supabase, the API roles get every privilege on what migrations create there, and
-- row-level security is what protects the rows. (Default privileges are per creating role: migrations and
-- seeds run as postgres.)
-- ---------------------------------------------------------------------------------------------------------
grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;

-- ---------------------------------------------------------------------------------------------------------
-- realtime: what hosted Supabase's Realtime keeps in the project database for "Broadcast from Database" and
-- private channels (the subset the app uses, with hosted's names and signatures). Policies on
-- realtime.messages say who may join which topic (the embedded Realtime server, scripts/embedded/realtime.ts,
-- checks them the way hosted Realtime does: as the caller, with realtime.topic() set); migrations write those
-- policies and the triggers that call realtime.send, never this schema itself. Hosted partitions the table
-- by day and drops old partitions; here it is one table and the embedded server deletes rows older than
-- three days.
-- ---------------------------------------------------------------------------------------------------------
create schema if not exists realtime;
grant usage on schema realtime to anon, authenticated, service_role;

create table if not exists realtime.messages (
	topic text not null,
	extension text not null,
	payload jsonb,
	event text,
	private boolean default false,
	updated_at timestamp not null default now(),
	inserted_at timestamp not null default now(),
	id uuid not null default gen_random_uuid(),
	primary key (id, inserted_at)
);
create index if not exists messages_inserted_at_topic_index on realtime.messages (inserted_at desc, topic);
alter table realtime.messages enable row level security;
grant select, insert, update on realtime.messages to anon, authenticated, service_role;

-- The topic being authorized (the server sets it locally, as hosted Realtime does, before it reads or writes
-- realtime.messages as the caller).
create or replace function realtime.topic() returns text
language sql stable
as $fn$
	select nullif(current_setting('realtime.topic', true), '')::text
$fn$;

-- Broadcasts `payload` as `event` to the subscribers of `topic` (private channels by default). Like hosted:
-- adds an `id` to the payload when it has none, and a failure is a warning, never the caller's error.
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void
language plpgsql
as $fn$
declare
	generated_id uuid;
	final_payload jsonb;
begin
	begin
		generated_id := gen_random_uuid();
		if payload ? 'id' then
			final_payload := payload;
		else
			final_payload := jsonb_set(payload, '{id}', to_jsonb(generated_id));
		end if;
		perform set_config('realtime.topic', topic, true);
		insert into realtime.messages (id, payload, event, topic, private, extension)
		values (generated_id, final_payload, event, topic, private, 'broadcast');
	exception when others then
		raise warning 'ErrorSendingBroadcastMessage: %', sqlerrm;
	end;
end
$fn$;

-- A row's change as hosted's broadcast_changes sends it (old_record, record, operation, table, schema).
create or replace function realtime.broadcast_changes(
	topic_name text, event_name text, operation text, table_name text, table_schema text,
	new record, old record, level text default 'ROW'
) returns void
language plpgsql
as $fn$
declare
	row_data jsonb := '{}'::jsonb;
begin
	if level = 'STATEMENT' then
		raise exception 'function can only be triggered for each row, not for each statement';
	end if;
	if operation in ('INSERT', 'UPDATE', 'DELETE') then
		row_data := jsonb_build_object('old_record', old, 'record', new, 'operation', operation,
			'table', table_name, 'schema', table_schema);
		perform realtime.send(row_data, event_name, topic_name);
	else
		raise exception 'Unexpected operation type: %', operation;
	end if;
exception when others then
	raise exception 'Failed to process the row: %', sqlerrm;
end
$fn$;

grant execute on function realtime.topic() to anon, authenticated, service_role;

-- Embedded only (hosted Realtime reads the WAL instead): every broadcast row is announced, after its
-- transaction commits, on the channel the embedded server LISTENs to. The whole row when it fits in a
-- notification (8000 bytes), else its id and the server reads the row.
create or replace function realtime.embedded_announce() returns trigger
language plpgsql
as $fn$
declare
	v_row text;
begin
	if new.extension = 'broadcast' and new.event is not null then
		v_row := json_build_object('id', new.id, 'topic', new.topic, 'event', new.event,
			'private', coalesce(new.private, false), 'payload', new.payload)::text;
		if octet_length(v_row) > 7900 then
			v_row := json_build_object('id', new.id)::text;
		end if;
		perform pg_notify('realtime_messages', v_row);
	end if;
	return null;
end
$fn$;
drop trigger if exists embedded_announce on realtime.messages;
create trigger embedded_announce after insert on realtime.messages
	for each row execute function realtime.embedded_announce();
