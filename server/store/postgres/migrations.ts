import type { Pool, PoolClient } from 'pg';
import type { AuditRecord } from '../../../contract/audit';
import { PgAuditTexts } from './audit-texts';

/** One schema change. Applied once, in version order, each in its own transaction. */
export interface PgMigration {
  version: number;
  description: string;
  sql: string;
  /** Fills what `sql` added from the rows already there (in the same transaction, after `sql`). */
  backfill?: (client: PoolClient) => Promise<void>;
}

/**
 * The PostgreSQL schema, as an ordered list of changes (the same idea as the SQLite store's
 * migrations.ts; never edit an applied migration: append a new one). It holds what the SQLite schema
 * holds, in PostgreSQL's types, plus what lets every audit filter use an index:
 *
 * - Text that is compared by range or sorted (ids, instants, logger names) is `COLLATE "C"`: code-point
 *   order, as SQLite's and JavaScript's, whatever the database's locale.
 * - Audit record and log entry ids are 'ar-000000042' as in SQLite; `counters` gives them out (one row
 *   per kind, locked by the transaction that inserts, so ids are given out in commit order and never
 *   twice, even after a purge).
 * - `seq` (an identity) keeps the order things were added in, where the port lists them so (SQLite's
 *   rowid).
 * - Audit search: the addresses as `inet` (GiST: a range is an index scan), the affected objects' ids
 *   and names as a `text[]` (GIN), the distinct lower-cased search texts with a pg_trgm GIN index and
 *   each record's pairs with them (migration 7: postgres/audit-texts.ts), the author lower-cased
 *   (B-tree), and the instant (B-tree).
 */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    description: 'Initial schema',
    sql: `
      CREATE EXTENSION IF NOT EXISTS pg_trgm;

      CREATE TABLE users (
        seq bigint GENERATED ALWAYS AS IDENTITY,
        key text PRIMARY KEY,
        username text NOT NULL UNIQUE,
        display_name text NOT NULL,
        email text NOT NULL,
        groups_json text NOT NULL,
        role text NOT NULL,
        password_hash text
      );

      -- One row (id = 1); no row: the default settings, version 1.
      CREATE TABLE settings (
        id integer PRIMARY KEY CHECK (id = 1),
        json text NOT NULL,
        version integer NOT NULL,
        updated_at text,
        updated_by text
      );

      CREATE TABLE tokens (
        seq bigint GENERATED ALWAYS AS IDENTITY,
        id text PRIMARY KEY,
        owner_key text NOT NULL,
        owner_username text NOT NULL,
        description text NOT NULL,
        description_lc text NOT NULL,
        scope text NOT NULL,
        created_at text NOT NULL,
        created_by text NOT NULL,
        expires_at text,
        last_used_at text,
        last_used_ip text,
        ip_restrictions_json text NOT NULL,
        secret_hash text NOT NULL UNIQUE,
        created_ms bigint NOT NULL,
        expires_ms bigint,
        last_used_ms bigint
      );
      CREATE INDEX tokens_owner_key ON tokens (owner_key, seq);
      CREATE INDEX tokens_created ON tokens (created_ms);
      CREATE INDEX tokens_expires ON tokens (expires_ms);
      CREATE INDEX tokens_last_used ON tokens (last_used_ms);

      CREATE TABLE audit_records (
        id text COLLATE "C" PRIMARY KEY,
        timestamp text COLLATE "C" NOT NULL,
        category text NOT NULL,
        summary text NOT NULL,
        author_username_lc text,
        author_display_name_lc text NOT NULL,
        client_ip text,
        proxy_ip text,
        client_inet inet,
        proxy_inet inet,
        details_username text,
        objects text[] NOT NULL,
        search_text text NOT NULL,
        record_json text NOT NULL
      );
      CREATE INDEX audit_records_timestamp ON audit_records (timestamp);
      CREATE INDEX audit_records_summary ON audit_records (summary, id);
      CREATE INDEX audit_records_category ON audit_records (category, id);
      CREATE INDEX audit_records_author_username ON audit_records (author_username_lc, id);
      CREATE INDEX audit_records_author_display_name ON audit_records (author_display_name_lc, id);
      CREATE INDEX audit_records_client_inet ON audit_records USING gist (client_inet inet_ops);
      CREATE INDEX audit_records_proxy_inet ON audit_records USING gist (proxy_inet inet_ops);
      CREATE INDEX audit_records_objects ON audit_records USING gin (objects);
      CREATE INDEX audit_records_search_text ON audit_records USING gin (search_text gin_trgm_ops);

      CREATE TABLE log_entries (
        id text COLLATE "C" PRIMARY KEY,
        timestamp text NOT NULL,
        level text NOT NULL,
        logger text COLLATE "C" NOT NULL,
        node text NOT NULL,
        record_json text NOT NULL
      );
      CREATE INDEX log_entries_logger ON log_entries (logger, id);

      CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL);
      INSERT INTO counters (name, value) VALUES ('audit', 0), ('log', 0);

      CREATE TABLE nodes (seq bigint GENERATED ALWAYS AS IDENTITY, node text PRIMARY KEY);

      -- node '*': the levels configured on every node; a node's own rows override them.
      CREATE TABLE loggers (
        seq bigint GENERATED ALWAYS AS IDENTITY,
        node text NOT NULL,
        name text NOT NULL,
        level text,
        PRIMARY KEY (node, name)
      );

      CREATE TABLE level_reverts (
        seq bigint GENERATED ALWAYS AS IDENTITY,
        name text PRIMARY KEY,
        revert_at text NOT NULL,
        previous_json text NOT NULL,
        set_by text NOT NULL
      );

      CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);

      CREATE TABLE sessions (
        id_hash text PRIMARY KEY,
        user_key text NOT NULL REFERENCES users (key) ON DELETE CASCADE,
        csrf_token text NOT NULL,
        created_at text COLLATE "C" NOT NULL,
        expires_at text COLLATE "C" NOT NULL
      );
      CREATE INDEX sessions_expires ON sessions (expires_at);
      CREATE INDEX sessions_user ON sessions (user_key);
    `,
  },
  {
    version: 2,
    description: 'Issues created through the Jira-shaped REST surface',
    sql: `
      -- id: from 10000 up; key: the project key and number ('DEMO-1').
      CREATE TABLE issues (
        id bigint PRIMARY KEY,
        key text NOT NULL UNIQUE,
        project_key text NOT NULL,
        number integer NOT NULL,
        issue_type_id text NOT NULL,
        summary text NOT NULL,
        description text,
        reporter_key text NOT NULL,
        reporter_username text NOT NULL,
        created_at text NOT NULL,
        UNIQUE (project_key, number)
      );
    `,
  },
  {
    version: 3,
    description: 'Change notifications and the node registry of a cluster',
    // Every committed change to what a node caches (tokens, users, settings, loggers, level reverts,
    // the list of nodes) raises the change version by one and sends a notification on 'atc_changes'
    // carrying the new version and the change (a StoreChange as JSON) in the same transaction, so that
    // no write, whoever makes it (a node, psql, db:copy), can skip it. Versions are given out under the
    // row's lock, so they commit, and are notified, in order: a gap means a missed notification.
    // Columns a node does not cache (a token's "last used", a node's heartbeat) do not notify.
    sql: `
      CREATE TABLE change_version (id integer PRIMARY KEY CHECK (id = 1), value bigint NOT NULL);
      INSERT INTO change_version (id, value) VALUES (1, 0);

      -- Arguments: the StoreChange kind, then (optionally) the column that identifies the row and the
      -- name of the change's field for it.
      CREATE FUNCTION atc_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        changed jsonb;
        change jsonb;
        version bigint;
      BEGIN
        IF TG_OP = 'DELETE' THEN changed := to_jsonb(OLD); ELSE changed := to_jsonb(NEW); END IF;
        change := jsonb_build_object('kind', TG_ARGV[0]);
        IF TG_NARGS > 1 THEN change := change || jsonb_build_object(TG_ARGV[2], changed ->> TG_ARGV[1]); END IF;
        UPDATE change_version SET value = value + 1 WHERE id = 1 RETURNING value INTO version;
        PERFORM pg_notify('atc_changes', jsonb_build_object('version', version, 'change', change)::text);
        RETURN NULL;
      END $$;

      CREATE TRIGGER tokens_changed
        AFTER INSERT OR DELETE OR UPDATE OF id, owner_key, owner_username, description, scope, expires_at,
          ip_restrictions_json, secret_hash ON tokens
        FOR EACH ROW EXECUTE FUNCTION atc_notify_change('token', 'id', 'id');
      CREATE TRIGGER users_changed AFTER INSERT OR UPDATE OR DELETE ON users
        FOR EACH ROW EXECUTE FUNCTION atc_notify_change('user', 'key', 'key');
      CREATE TRIGGER settings_changed AFTER INSERT OR UPDATE OR DELETE ON settings
        FOR EACH ROW EXECUTE FUNCTION atc_notify_change('settings');
      CREATE TRIGGER loggers_changed AFTER INSERT OR UPDATE OR DELETE ON loggers
        FOR EACH ROW EXECUTE FUNCTION atc_notify_change('loggers');
      CREATE TRIGGER level_reverts_changed AFTER INSERT OR UPDATE OR DELETE ON level_reverts
        FOR EACH ROW EXECUTE FUNCTION atc_notify_change('loggers');

      -- The node registry: what a node says of itself when it starts, and its heartbeat (the
      -- database's clock, so that the nodes' clocks need not agree). Only a new or removed node
      -- changes what nodes cache.
      ALTER TABLE nodes
        ADD COLUMN address text,
        ADD COLUMN version text,
        ADD COLUMN started_at timestamptz,
        ADD COLUMN last_seen_at timestamptz,
        ADD COLUMN stopped_at timestamptz;
      CREATE TRIGGER nodes_changed AFTER INSERT OR DELETE OR UPDATE OF node ON nodes
        FOR EACH ROW EXECUTE FUNCTION atc_notify_change('loggers');
    `,
  },
  {
    version: 4,
    description: 'Token rotation: the previous secret and its grace period',
    // As SQLite's migration 3. A rotation changes the secret and the previous one: nodes drop the
    // token they cached (a rotated secret, or a previous one cut short, stops on every node at once).
    sql: `
      ALTER TABLE tokens
        ADD COLUMN previous_secret_hash text UNIQUE,
        ADD COLUMN previous_secret_expires_at text;

      DROP TRIGGER tokens_changed ON tokens;
      CREATE TRIGGER tokens_changed
        AFTER INSERT OR DELETE OR UPDATE OF id, owner_key, owner_username, description, scope, expires_at,
          ip_restrictions_json, secret_hash, previous_secret_hash, previous_secret_expires_at ON tokens
        FOR EACH ROW EXECUTE FUNCTION atc_notify_change('token', 'id', 'id');
    `,
  },
  {
    version: 5,
    description: "Rate limiting shared by a cluster's nodes: a token bucket per token",
    // What is left in a token's bucket (requests, fractional while it refills) as of at_ms (the
    // node's clock, milliseconds since 1970): server/cluster/shared-rate-limiter.ts. A bucket that has
    // refilled is the same as none: retention deletes those. Nodes do not cache it: no notification.
    // Unlogged: a count is not worth a disk flush per request (its commits do not wait for the WAL),
    // and a crash of PostgreSQL (or a fail-over) only gives every token a full bucket again.
    sql: `
      CREATE UNLOGGED TABLE rate_limit_buckets (
        key text PRIMARY KEY,
        tokens double precision NOT NULL,
        at_ms bigint NOT NULL
      );
    `,
  },
  {
    version: 6,
    description: 'An index for the username filter',
    sql: `CREATE INDEX audit_records_details_username ON audit_records (details_username, id);`,
  },
  {
    version: 7,
    description: 'Free-text search over the distinct texts of the audit log',
    // As SQLite's migration 7: the texts repeat heavily, so each distinct one is stored once with its
    // trigrams, and a record points to its texts (postgres/audit-texts.ts). Replaces the trigram index
    // of every record's texts, whose rechecks read every record that holds a query's trigrams; the
    // texts stay in search_text, which a query found in many texts checks record by record. A text
    // is found by its digest (a text may be longer than a B-tree entry can be).
    // counters.texts_deleted: how many times retention deleted texts (writers forget their ids then).
    sql: `
      DROP INDEX audit_records_search_text;

      CREATE TABLE audit_texts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        hash bytea NOT NULL UNIQUE,
        text text NOT NULL
      );
      CREATE INDEX audit_texts_search ON audit_texts USING gin (text gin_trgm_ops);
      CREATE TABLE audit_record_texts (
        record_id text COLLATE "C" NOT NULL,
        text_id bigint NOT NULL,
        PRIMARY KEY (record_id, text_id)
      );
      CREATE INDEX audit_record_texts_text ON audit_record_texts (text_id, record_id);

      ALTER TABLE counters ADD COLUMN texts_deleted bigint NOT NULL DEFAULT 0;
    `,
    backfill: async (client) => {
      const texts = new PgAuditTexts();
      let after = '';
      for (;;) {
        const { rows } = await client.query<{ id: string; record_json: string }>(
          'SELECT id, record_json FROM audit_records WHERE id > $1 ORDER BY id LIMIT 10000',
          [after],
        );
        if (rows.length === 0) return;
        await texts.add(
          client,
          rows.map((row) => JSON.parse(row.record_json) as AuditRecord),
        );
        after = rows.at(-1)!.id;
      }
    },
  },
  {
    version: 8,
    description: "Failed sign-ins counted for a cluster's nodes: a row per username and per address",
    // A key's failures in a row, its last failure and its lockout (the nodes' clocks, milliseconds
    // since 1970): server/cluster/shared-failure-counter.ts. Unlogged, as the token buckets: a crash of
    // PostgreSQL forgets the counts, as a restart forgets one server's.
    sql: `
      CREATE UNLOGGED TABLE sign_in_failures (
        counter text NOT NULL,
        key text NOT NULL,
        count integer NOT NULL,
        last_at_ms bigint NOT NULL,
        locked_until_ms bigint NOT NULL,
        PRIMARY KEY (counter, key)
      );
    `,
  },
  {
    version: 9,
    description: 'The retention floor notifies the nodes',
    // Each node keeps the retention floor in memory (audit reads leave out what is older): whoever
    // raises it (retention, on any node) lets the others know, as for what they cache (migration 3).
    sql: `
      CREATE TRIGGER meta_retention_changed AFTER INSERT OR UPDATE ON meta
        FOR EACH ROW WHEN (NEW.key = 'audit_purged_before')
        EXECUTE FUNCTION atc_notify_change('retention');
    `,
  },
  {
    version: 10,
    description: 'Indexes for an event or an author within a time range',
    // With a time range, the (event, id) and (author, id) indexes only meet the timestamp index in a
    // bitmap of every record of the range, which grows with the log (a day of a 10,000,000-record log
    // is 100,000 records). These find an event's records in an address range and a time range, and an
    // author's in a time range, without reading the others: the planner uses the event's with the
    // client's or the proxy's range (each turned into a B-tree range), the author's for either name.
    sql: `
      CREATE INDEX audit_records_summary_client_time ON audit_records (summary, client_inet, timestamp);
      CREATE INDEX audit_records_summary_proxy_time ON audit_records (summary, proxy_inet, timestamp);
      CREATE INDEX audit_records_author_username_time ON audit_records (author_username_lc, timestamp);
      CREATE INDEX audit_records_author_display_name_time ON audit_records (author_display_name_lc, timestamp);
    `,
  },
];

/**
 * Brings the database up to the latest schema: applies the migrations not recorded in
 * `schema_migrations`, each in its own transaction, under an advisory lock (servers that start together
 * apply each migration once). Idempotent. Returns the versions it applied.
 */
export async function migratePostgres(
  pool: Pool,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
): Promise<number[]> {
  const client = await pool.connect();
  // Held until the end (servers that start together wait here, and see what the first applied).
  await client.query(`SELECT pg_advisory_lock(hashtext('atc schema_migrations'))`);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      description text NOT NULL,
      applied_at text NOT NULL
    )`);
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      await client.query('BEGIN');
      try {
        const applied = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
          migration.version,
        ]);
        if (applied.rowCount === 0) {
          await client.query(migration.sql);
          await migration.backfill?.(client);
          await client.query(
            'INSERT INTO schema_migrations (version, description, applied_at) VALUES ($1, $2, $3)',
            [migration.version, migration.description, new Date().toISOString()],
          );
          done.push(migration.version);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    return done;
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('atc schema_migrations'))`);
    client.release();
  }
}
