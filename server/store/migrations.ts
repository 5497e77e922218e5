import type { Database } from 'better-sqlite3';

/** One schema change. Applied once, in version order, each in its own transaction. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * The schema, as an ordered list of changes. Never edit an applied migration: append a new one.
 *
 * Conventions:
 * - Instants are ISO 8601 text as the contract has them. Token dates also have an `*_ms` column
 *   (epoch milliseconds): the token filters and sorts compare instants, and text only compares
 *   instants when every value has the same form (`…:00Z` and `…:00.000Z` are the same instant).
 * - Audit record and log entry ids are a prefix and a zero-padded sequence ('ar-000000042'), so text
 *   order is numeric order, and (ids being assigned as records are written) time order.
 * - `record_json` is the whole record as the contract has it; the other columns of `audit_records`
 *   only narrow a scan down (the filter's one definition, `compileAuditFilter`, decides in JS).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'Initial schema',
    sql: `
      CREATE TABLE users (
        key TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        email TEXT NOT NULL,
        groups_json TEXT NOT NULL,
        role TEXT NOT NULL,
        password_hash TEXT
      );

      -- One row (id = 1); no row: the default settings, version 1.
      CREATE TABLE settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        json TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT,
        updated_by TEXT
      );

      CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        owner_key TEXT NOT NULL,
        owner_username TEXT NOT NULL,
        description TEXT NOT NULL,
        scope TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        expires_at TEXT,
        last_used_at TEXT,
        last_used_ip TEXT,
        ip_restrictions_json TEXT NOT NULL,
        secret_hash TEXT NOT NULL UNIQUE,
        created_ms INTEGER NOT NULL,
        expires_ms INTEGER,
        last_used_ms INTEGER
      );
      CREATE INDEX tokens_owner_key ON tokens (owner_key);
      CREATE INDEX tokens_created ON tokens (created_ms);
      CREATE INDEX tokens_expires ON tokens (expires_ms);
      CREATE INDEX tokens_last_used ON tokens (last_used_ms);

      -- author_*_lc: the author's username and display name lower-cased as JavaScript does it (the
      -- author filter is case-insensitive); objects: a line break, then the ids and names of the
      -- affected objects (line breaks escaped), each followed by a line break; search_text: the
      -- lower-cased texts the free-text filter searches, one per line.
      CREATE TABLE audit_records (
        id TEXT PRIMARY KEY,
        timestamp TEXT NOT NULL,
        category TEXT NOT NULL,
        summary TEXT NOT NULL,
        author_username_lc TEXT,
        author_display_name_lc TEXT NOT NULL,
        client_ip TEXT,
        proxy_ip TEXT,
        details_username TEXT,
        objects TEXT NOT NULL,
        search_text TEXT NOT NULL,
        record_json TEXT NOT NULL
      );
      -- (timestamp, summary): the histogram counts events per time bucket from the index alone.
      CREATE INDEX audit_records_timestamp ON audit_records (timestamp, summary);
      CREATE INDEX audit_records_summary ON audit_records (summary, id);
      CREATE INDEX audit_records_category ON audit_records (category, id);
      CREATE INDEX audit_records_author_username ON audit_records (author_username_lc, id);
      CREATE INDEX audit_records_author_display_name ON audit_records (author_display_name_lc, id);

      CREATE TABLE log_entries (
        id TEXT PRIMARY KEY,
        timestamp TEXT NOT NULL,
        level TEXT NOT NULL,
        logger TEXT NOT NULL,
        node TEXT NOT NULL,
        record_json TEXT NOT NULL
      );
      CREATE INDEX log_entries_logger ON log_entries (logger, id);

      CREATE TABLE nodes (node TEXT PRIMARY KEY);

      -- node '*': the levels configured on every node; a node's own rows override them.
      CREATE TABLE loggers (
        node TEXT NOT NULL,
        name TEXT NOT NULL,
        level TEXT,
        PRIMARY KEY (node, name)
      );

      CREATE TABLE level_reverts (
        name TEXT PRIMARY KEY,
        revert_at TEXT NOT NULL,
        previous_json TEXT NOT NULL,
        set_by TEXT NOT NULL
      );

      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

      CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_key TEXT NOT NULL REFERENCES users (key) ON DELETE CASCADE,
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
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
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        project_key TEXT NOT NULL,
        number INTEGER NOT NULL,
        issue_type_id TEXT NOT NULL,
        summary TEXT NOT NULL,
        description TEXT,
        reporter_key TEXT NOT NULL,
        reporter_username TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (project_key, number)
      );
    `,
  },
  {
    version: 3,
    description: 'Token rotation: the previous secret and its grace period',
    sql: `
      ALTER TABLE tokens ADD COLUMN previous_secret_hash TEXT;
      ALTER TABLE tokens ADD COLUMN previous_secret_expires_at TEXT;
      CREATE UNIQUE INDEX tokens_previous_secret_hash ON tokens (previous_secret_hash);
    `,
  },
];

/**
 * Brings the database up to the latest schema: applies the migrations not recorded in
 * `schema_migrations`, each in a transaction. Idempotent. Returns the versions it applied.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .pluck()
      .all()
      .map((v) => Number(v)),
  );
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)',
  );
  const done: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    const appliedNow = db
      .transaction(() => {
        // Another process may have applied it since the check above.
        if (db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version))
          return false;
        db.exec(migration.sql);
        record.run(migration.version, migration.description, new Date().toISOString());
        return true;
      })
      .immediate();
    if (appliedNow) done.push(migration.version);
  }
  return done;
}
