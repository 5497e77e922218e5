import Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import { auditSearchTexts } from '../../contract/audit-query';
import { CachedStore } from '../../backend/store/cached-store';
import { data } from '../../backend/store/store-contract/data-set';
import { describeStoreContract } from '../../backend/store/store-contract/store-contract';
import { closeContractStores, closedAfterTest } from '../test/contract-stores';
import { migrate, MIGRATIONS } from './migrations';
import { SqliteStore } from './sqlite-store';

afterEach(closeContractStores);

/**
 * The data set in a database written before migration 4 (its audit rows as schema version 3 had
 * them), opened by today's store: the migration builds the search indexes from those rows. Built once
 * (the migration is the slow part), as the bytes of the database: each test opens a copy of its own.
 */
let writtenAtVersion3: Buffer | undefined;

async function sqliteWrittenAtVersion3(): Promise<SqliteStore> {
  writtenAtVersion3 ??= await migratedFromVersion3();
  return closedAfterTest(new SqliteStore(new Database(writtenAtVersion3)));
}

async function migratedFromVersion3(): Promise<Buffer> {
  const db = new Database(':memory:');
  migrate(
    db,
    MIGRATIONS.filter((m) => m.version <= 3),
  );
  const insert = db.prepare(
    `INSERT INTO audit_records (id, timestamp, category, summary, author_username_lc,
       author_display_name_lc, client_ip, proxy_ip, details_username, objects, search_text, record_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const escape = (value: string) => value.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
  for (const r of data.auditRecords) {
    insert.run(
      r.id,
      r.timestamp,
      r.category,
      r.summary,
      r.author.username?.toLowerCase() ?? null,
      r.author.displayName.toLowerCase(),
      r.source.clientIp,
      r.source.proxyIp,
      r.details.username ?? null,
      `\n${r.affectedObjects.map((o) => `${escape(o.id)}\n${escape(o.name)}\n`).join('')}`,
      auditSearchTexts(r)
        .map((text) => (text ?? '').toLowerCase())
        .join('\n'),
      JSON.stringify(r),
    );
  }
  const store = new SqliteStore(db);
  await store.seed({ ...data, auditRecords: [] });
  const bytes = db.serialize();
  store.close();
  return bytes;
}

describeStoreContract(
  'sqlite (cached, written at schema version 3)',
  async () => new CachedStore(await sqliteWrittenAtVersion3()),
);
