import type { Database } from 'better-sqlite3';
import type { AuditRecord } from '../../contract/audit';
import { AuditTextIndex, shortPieces } from './audit-texts';
import { ipKeyBlob } from './rows';

/** One schema change. Applied once, in version order, each in its own transaction. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** Fills what `sql` added from the rows already there (in the same transaction, after `sql`). */
  backfill?: (db: Database) => void;
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
  {
    version: 4,
    description: 'Indexes for every audit filter',
    sql: `
      -- The addresses as 16 bytes that sort as addresses do (contract/ip.ts ipKey: IPv4 as
      -- IPv4-mapped IPv6), so that an address or a CIDR range is a range of an index.
      ALTER TABLE audit_records ADD COLUMN client_ip_key BLOB;
      ALTER TABLE audit_records ADD COLUMN proxy_ip_key BLOB;
      ALTER TABLE audit_records DROP COLUMN proxy_ip;
      CREATE INDEX audit_records_client_ip ON audit_records (client_ip_key, id);
      CREATE INDEX audit_records_proxy_ip ON audit_records (proxy_ip_key, id);

      -- Every id and name of a record's affected objects, each once per record.
      ALTER TABLE audit_records DROP COLUMN objects;
      CREATE TABLE audit_objects (
        value TEXT NOT NULL,
        record_id TEXT NOT NULL,
        PRIMARY KEY (value, record_id)
      ) WITHOUT ROWID;

      -- The free text (search_text) by trigrams: a query of three or more characters is a phrase of
      -- trigrams. The rowid is the record's sequence number (the digits of 'ar-000000042'): the
      -- table's own rowid may change in a VACUUM.
      CREATE VIRTUAL TABLE audit_search USING fts5 (
        texts, tokenize = 'trigram', content = '', contentless_delete = 1
      );

      -- Kept in step with the records by the database itself, whoever writes or deletes them.
      CREATE TRIGGER audit_records_indexed AFTER INSERT ON audit_records BEGIN
        INSERT OR IGNORE INTO audit_objects (value, record_id)
          SELECT o.value ->> 'id', new.id FROM json_each(new.record_json, '$.affectedObjects') AS o
          UNION SELECT o.value ->> 'name', new.id FROM json_each(new.record_json, '$.affectedObjects') AS o;
        INSERT INTO audit_search (rowid, texts)
          VALUES (CAST(substr(new.id, 4) AS INTEGER), new.search_text);
      END;
      CREATE TRIGGER audit_records_unindexed AFTER DELETE ON audit_records BEGIN
        DELETE FROM audit_objects WHERE record_id = old.id AND value IN (
          SELECT o.value ->> 'id' FROM json_each(old.record_json, '$.affectedObjects') AS o
          UNION SELECT o.value ->> 'name' FROM json_each(old.record_json, '$.affectedObjects') AS o);
        DELETE FROM audit_search WHERE rowid = CAST(substr(old.id, 4) AS INTEGER);
      END;
    `,
    backfill: (db) => {
      db.function('ip_key', { deterministic: true }, (address: unknown) =>
        ipKeyBlob(typeof address === 'string' ? address : null),
      );
      db.exec(`
        UPDATE audit_records SET
          client_ip_key = ip_key(client_ip),
          proxy_ip_key = ip_key(record_json ->> '$.source.proxyIp');
        INSERT OR IGNORE INTO audit_objects (value, record_id)
          SELECT o.value ->> 'id', r.id FROM audit_records AS r, json_each(r.record_json, '$.affectedObjects') AS o
          UNION ALL
          SELECT o.value ->> 'name', r.id FROM audit_records AS r, json_each(r.record_json, '$.affectedObjects') AS o;
        INSERT INTO audit_search (rowid, texts)
          SELECT CAST(substr(id, 4) AS INTEGER), search_text FROM audit_records;
      `);
    },
  },
  {
    version: 5,
    description: 'An index for the username filter',
    sql: `CREATE INDEX audit_records_details_username ON audit_records (details_username, id);`,
  },
  {
    version: 6,
    description: 'The audit writer indexes new records itself',
    // Rows inserted from here on are indexed by whoever inserts them (SqliteStore's insertAuditRows, in
    // the same transaction): the trigger's work per row (a json_each of the record, a statement per
    // index, run by the trigger program) was most of an append's cost. Deleting stays a trigger:
    // retention deletes by time, in SQL. Rows already there were indexed by the trigger or by
    // migration 4's backfill.
    sql: `DROP TRIGGER audit_records_indexed;`,
  },
  {
    version: 7,
    description: 'Free-text search over the distinct texts of the audit log',
    // The texts repeat heavily: each distinct one is stored once with its trigrams, and a record
    // points to its texts (audit-texts.ts). Replaces the trigram index of every record's texts,
    // whose phrase checks read every record holding common trigrams.
    sql: `
      DROP TRIGGER audit_records_unindexed;
      DROP TABLE audit_search;

      CREATE TABLE audit_texts (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
      CREATE VIRTUAL TABLE audit_texts_search USING fts5 (
        text, tokenize = 'trigram', content = '', contentless_delete = 1
      );
      -- seq: the record's sequence number (the digits of 'ar-000000042').
      CREATE TABLE audit_record_texts (
        seq INTEGER NOT NULL,
        text_id INTEGER NOT NULL,
        PRIMARY KEY (seq, text_id)
      ) WITHOUT ROWID;
      CREATE INDEX audit_record_texts_text ON audit_record_texts (text_id, seq);

      CREATE TRIGGER audit_records_unindexed AFTER DELETE ON audit_records BEGIN
        DELETE FROM audit_objects WHERE record_id = old.id AND value IN (
          SELECT o.value ->> 'id' FROM json_each(old.record_json, '$.affectedObjects') AS o
          UNION SELECT o.value ->> 'name' FROM json_each(old.record_json, '$.affectedObjects') AS o);
        DELETE FROM audit_record_texts WHERE seq = CAST(substr(old.id, 4) AS INTEGER);
      END;
    `,
    backfill: (db) => {
      const index = new AuditTextIndex(db);
      const page = db.prepare(
        'SELECT id, record_json FROM audit_records WHERE id > ? ORDER BY id LIMIT 10000',
      );
      let after = '';
      for (;;) {
        const rows = page.all(after) as { id: string; record_json: string }[];
        if (rows.length === 0) return;
        for (const row of rows) index.add(JSON.parse(row.record_json) as AuditRecord);
        after = rows.at(-1)!.id;
      }
    },
  },
  {
    version: 8,
    description: 'Free text of one or two characters by an index',
    // Such a query has no trigram: migration 7 read every distinct text for it, whose number grows with
    // the log. Each text's pieces of one or two characters (audit-texts.ts shortPieces) find them at
    // once. Deleted with their text (the trigger), as retention deletes texts no record has.
    sql: `
      CREATE TABLE audit_text_pieces (
        piece TEXT NOT NULL,
        text_id INTEGER NOT NULL,
        PRIMARY KEY (piece, text_id)
      ) WITHOUT ROWID;
      CREATE INDEX audit_text_pieces_text ON audit_text_pieces (text_id);
      CREATE TRIGGER audit_texts_deleted AFTER DELETE ON audit_texts BEGIN
        DELETE FROM audit_text_pieces WHERE text_id = old.id;
      END;
    `,
    backfill: (db) => {
      const insert = db.prepare('INSERT OR IGNORE INTO audit_text_pieces (piece, text_id) VALUES (?, ?)');
      const texts = db.prepare('SELECT id, text FROM audit_texts').all() as { id: number; text: string }[];
      for (const { id, text } of texts) for (const piece of shortPieces(text)) insert.run(piece, id);
    },
  },
  {
    version: 9,
    description: "The event index holds the records' addresses",
    // An event with an address range and a time range reads the event's records of that time along
    // this index (audit-planner.ts): with the address keys in it, a record outside the range is passed
    // over in the index, without reading its row.
    sql: `
      DROP INDEX audit_records_summary;
      CREATE INDEX audit_records_summary ON audit_records (summary, id, client_ip_key, proxy_ip_key);
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
        migration.backfill?.(db);
        record.run(migration.version, migration.description, new Date().toISOString());
        return true;
      })
      .immediate();
    if (appliedNow) done.push(migration.version);
  }
  return done;
}
