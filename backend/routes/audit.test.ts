import { describe, expect, it } from 'vitest';
import { ANONYMOUS_AUTHOR, AUDIT_CATEGORY, type AuditEvent, type AuditRecord } from '../../contract/audit';
import { AuditRecordsPageSchema, EXPORT_TOTAL_HEADER } from '../../contract/audit-query';
import { PROBLEM_CONTENT_TYPE } from '../../contract/problem';
import { DEFAULT_SETTINGS } from '../../contract/settings';
import type { DataSet } from '../store/port';
import { fixtureData } from '../test/fixtures';
import { createTestBackend, TEST_NOW } from '../test/harness';
import { EXPORT_COLUMNS } from './audit';
import { bucketStart, cachedTimeZoneCount, MAX_CACHED_TIME_ZONES } from '../../contract/histogram';

// ---------------------------------------------------------------------------------------------------
// Test data: records ar-000000001… one per `stepMs`, oldest first in time, stored newest first.
// ---------------------------------------------------------------------------------------------------

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const EVENTS: AuditEvent[] = [
  'Successful authentication',
  'Failed API token bearer authentication attempt',
  'Permission denied',
  'API token created',
  'Settings changed',
];

const FORMULA = '=HYPERLINK("http://evil.example","click")';
/** The record whose token description is a spreadsheet formula. */
const FORMULA_INDEX = 42;

const auditId = (i: number) => `ar-${String(i).padStart(9, '0')}`;

function makeRecord(i: number, timestamp: number): AuditRecord {
  const summary = EVENTS[i % EVENTS.length]!;
  const auth = i % EVENTS.length < 3;
  const clientIp =
    i % 3 === 0
      ? `10.1.${Math.floor(i / 256) % 256}.${i % 256}`
      : i % 3 === 1
        ? `198.51.100.${i % 256}`
        : `2001:db8::${i.toString(16)}`;
  return {
    id: auditId(i),
    timestamp: new Date(timestamp).toISOString(),
    author: auth
      ? { username: null, displayName: ANONYMOUS_AUTHOR }
      : { username: 'admin', displayName: 'Alice Admin' },
    category: AUDIT_CATEGORY,
    summary,
    affectedObjects: [
      { type: 'user', id: 'U3', name: 'jdoe' },
      { type: 'token', id: `tok_${i}`, name: `Token ${i}` },
    ],
    changedValues:
      summary === 'Settings changed' ? [{ field: 'disableBasicAuth', from: 'false', to: 'true' }] : [],
    source: {
      clientIp,
      proxyIp: i % 4 === 0 ? '192.0.2.254' : null,
      nodeId: `node-${(i % 2) + 1}`,
      method: 'GET',
    },
    details: {
      tokenId: `tok_${i}`,
      tokenDescription: i === FORMULA_INDEX ? FORMULA : `Token, number "${i}"`,
      scope: 'READ_WRITE',
      endpoint: `/rest/api/2/issue/T-${i}`,
      username: 'jdoe',
    },
  };
}

/** `count` records, the last one `newestAgoMs` before TEST_NOW, `stepMs` apart; newest first. */
function makeRecords(count: number, { stepMs = HOUR, newestAgoMs = HOUR } = {}): AuditRecord[] {
  const newest = TEST_NOW.getTime() - newestAgoMs;
  const records: AuditRecord[] = [];
  for (let i = 1; i <= count; i++) records.push(makeRecord(i, newest - (count - i) * stepMs));
  return records.reverse();
}

function dataWith(records: AuditRecord[]): DataSet {
  return { ...fixtureData(), auditRecords: records };
}

const RECORDS = makeRecords(300); // newest first: ar-000000300 … ar-000000001
const byId = new Map(RECORDS.map((r) => [r.id, r]));
const idsOf = (records: readonly AuditRecord[]) => records.map((r) => r.id);

type Backend = ReturnType<typeof createTestBackend>;

async function page(backend: Backend, query: string) {
  const response = await backend.call(`/audit/records?${query}`);
  expect(response.status).toBe(200);
  return AuditRecordsPageSchema.parse(await response.json());
}

/** Follows nextCursor to the end; every page at most `limit` records. */
async function pageThrough(backend: Backend, query: string, limit: number) {
  const seen: AuditRecord[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const params = new URLSearchParams(query);
    params.set('limit', String(limit));
    if (cursor) params.set('cursor', cursor);
    const result = await page(backend, params.toString());
    expect(result.records.length).toBeLessThanOrEqual(limit);
    if (result.nextCursor !== null) {
      expect(result.records.length).toBe(limit);
      expect(result.nextCursor).toBe(result.records.at(-1)!.id);
    }
    seen.push(...result.records);
    cursor = result.nextCursor;
    pages++;
    if (pages > 10_000) throw new Error('paging does not end');
  } while (cursor !== null);
  return { records: seen, pages };
}

/** RFC 4180 CSV (CRLF rows, quoted cells with doubled quotes) into rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) throw new Error('the CSV does not end with CRLF');
  return rows;
}

async function exportText(backend: Backend, query: string) {
  const response = await backend.call(`/audit/export?${query}`);
  expect(response.status).toBe(200);
  return { response, text: await response.text() };
}

const ID_COLUMN = EXPORT_COLUMNS.indexOf('id');
const DESCRIPTION_COLUMN = EXPORT_COLUMNS.indexOf('token description');

// ---------------------------------------------------------------------------------------------------
// GET /audit/records
// ---------------------------------------------------------------------------------------------------

describe('GET /audit/records: keyset paging', () => {
  it('pages through every record exactly once, newest first, with limit 7', async () => {
    const backend = createTestBackend({ as: 'auditor', data: dataWith(RECORDS) });
    const { records, pages } = await pageThrough(backend, '', 7);
    expect(pages).toBe(Math.ceil(300 / 7));
    expect(idsOf(records)).toEqual(idsOf(RECORDS));
    expect(new Set(idsOf(records)).size).toBe(300);
    expect(records).toEqual(RECORDS);
  });

  it('sends no total, only the records and the next cursor', async () => {
    const backend = createTestBackend({ data: dataWith(RECORDS) });
    const response = await backend.call('/audit/records?limit=7');
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['nextCursor', 'records']);
    expect(body.nextCursor).toBe('ar-000000294');
  });

  it('ends with a null cursor when the last page is exactly full', async () => {
    const backend = createTestBackend({ data: dataWith(RECORDS) });
    const { records, pages } = await pageThrough(backend, '', 10);
    expect(pages).toBe(30);
    expect(records).toHaveLength(300);
  });

  it('reads 100 records by default', async () => {
    const backend = createTestBackend({ data: dataWith(RECORDS) });
    const result = await page(backend, '');
    expect(idsOf(result.records)).toEqual(idsOf(RECORDS.slice(0, 100)));
    expect(result.nextCursor).toBe('ar-000000201');
  });

  it('continues from a cursor with the records older than it', async () => {
    const backend = createTestBackend({ data: dataWith(RECORDS) });
    const result = await page(backend, 'cursor=ar-000000005&limit=10');
    expect(idsOf(result.records)).toEqual(['ar-000000004', 'ar-000000003', 'ar-000000002', 'ar-000000001']);
    expect(result.nextCursor).toBeNull();
  });

  it('returns only records newer than `after`, newest first', async () => {
    const backend = createTestBackend({ data: dataWith(RECORDS) });
    const result = await page(backend, 'after=ar-000000295&limit=1000');
    expect(idsOf(result.records)).toEqual([
      'ar-000000300',
      'ar-000000299',
      'ar-000000298',
      'ar-000000297',
      'ar-000000296',
    ]);
    expect(result.nextCursor).toBeNull();
    expect((await page(backend, 'after=ar-000000300')).records).toEqual([]);
  });

  it('counts appended records after the newest seeded one, and lists them first', async () => {
    const backend = createTestBackend({ data: dataWith(RECORDS) });
    const fresh = (i: number, ago: number, summary: AuditEvent) => {
      const { id: _id, ...rest } = makeRecord(i, TEST_NOW.getTime() - ago);
      return { ...rest, summary };
    };
    const [first] = (
      await backend.store.appendAuditRecords([
        fresh(1, 60_000, 'Permission denied'),
        fresh(2, 30_000, 'Settings changed'),
      ])
    ).map((r) => r.id);
    expect(first).toBe('ar-000000301');
    const newer = await page(backend, 'after=ar-000000300');
    expect(idsOf(newer.records)).toEqual(['ar-000000302', 'ar-000000301']);
    const filtered = await page(backend, 'after=ar-000000300&summary=Settings+changed');
    expect(idsOf(filtered.records)).toEqual(['ar-000000302']);
    const { records } = await pageThrough(backend, '', 7);
    expect(idsOf(records).slice(0, 3)).toEqual(['ar-000000302', 'ar-000000301', 'ar-000000300']);
    expect(records).toHaveLength(302);
  });
});

describe('GET /audit/records: filters through the query', () => {
  const backend = createTestBackend({ data: dataWith(RECORDS) });

  it('keeps any of repeated `summary` parameters', async () => {
    const { records } = await pageThrough(backend, 'summary=Permission+denied&summary=API+token+created', 7);
    const expected = RECORDS.filter(
      (r) => r.summary === 'Permission denied' || r.summary === 'API token created',
    );
    expect(expected.length).toBe(120);
    expect(idsOf(records)).toEqual(idsOf(expected));
  });

  it('filters by an IPv4 CIDR range against the client or the proxy address', async () => {
    const { records } = await pageThrough(backend, `ip=${encodeURIComponent('192.0.2.0/24')}`, 50);
    expect(idsOf(records)).toEqual(idsOf(RECORDS.filter((r) => r.source.proxyIp === '192.0.2.254')));
    expect(records).toHaveLength(75);

    const tenNet = await pageThrough(backend, `ip=${encodeURIComponent('10.0.0.0/8')}`, 50);
    expect(idsOf(tenNet.records)).toEqual(idsOf(RECORDS.filter((r) => r.source.clientIp!.startsWith('10.'))));
  });

  it('filters by an IPv6 range', async () => {
    const { records } = await pageThrough(backend, `ip=${encodeURIComponent('2001:db8::/32')}`, 50);
    expect(idsOf(records)).toEqual(idsOf(RECORDS.filter((r) => r.source.clientIp!.includes(':'))));
    expect(records).toHaveLength(100);
  });

  it('filters by from/to, both inclusive', async () => {
    const from = byId.get('ar-000000100')!.timestamp;
    const to = byId.get('ar-000000110')!.timestamp;
    const { records } = await pageThrough(backend, `from=${from}&to=${to}`, 4);
    expect(idsOf(records)).toEqual(Array.from({ length: 11 }, (_, k) => auditId(110 - k)));
  });

  it('includes the record at a "from" given without milliseconds', async () => {
    const from = byId.get('ar-000000100')!.timestamp.replace('.000Z', 'Z');
    const to = byId.get('ar-000000110')!.timestamp;
    const result = await page(backend, `from=${from}&to=${to}&limit=100`);
    expect(idsOf(result.records)).toEqual(Array.from({ length: 11 }, (_, k) => auditId(110 - k)));
  });

  it('combines a time range, an event and paging', async () => {
    const from = byId.get('ar-000000050')!.timestamp;
    const to = byId.get('ar-000000250')!.timestamp;
    const { records } = await pageThrough(backend, `from=${from}&to=${to}&summary=Settings+changed`, 7);
    const expected = RECORDS.filter(
      (r) => r.timestamp >= from && r.timestamp <= to && r.summary === 'Settings changed',
    );
    expect(expected).toHaveLength(40);
    expect(idsOf(records)).toEqual(idsOf(expected));
  });

  it('searches the token description and matches the author', async () => {
    const q = await page(backend, `q=${encodeURIComponent('NUMBER "41"')}`);
    expect(idsOf(q.records)).toEqual([auditId(41)]);
    const formula = await page(backend, `q=${encodeURIComponent('=hyperlink(')}`);
    expect(idsOf(formula.records)).toEqual([auditId(FORMULA_INDEX)]);
    const anonymous = await pageThrough(backend, 'author=anonymous', 100);
    expect(anonymous.records).toHaveLength(180);
  });

  it.each([
    ['ip=300.1.1.1', 'ip'],
    ['from=yesterday', 'from'],
    ['to=2026-03-08', 'to'],
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=junk', 'limit'],
    ['cursor=..%2Fx', 'cursor'],
    ['after=AR-1', 'after'],
    ['summary=Nope', 'summary.0'],
    ['category=Other', 'category'],
  ])('answers 400 problem+json for %s', async (query, field) => {
    const response = await backend.call(`/audit/records?${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    const problem = (await response.json()) as { status: number; errors?: Record<string, string> };
    expect(problem.status).toBe(400);
    expect(Object.keys(problem.errors ?? {})).toContain(field);
  });
});

describe('GET /audit/records/:id', () => {
  const backend = createTestBackend({ as: 'auditor', data: dataWith(RECORDS) });

  it.each(['ar-000000001', 'ar-000000150', 'ar-000000300'])('answers %s with the record', async (id) => {
    const response = await backend.call(`/audit/records/${id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(byId.get(id));
  });

  it.each(['ar-000000000', 'ar-000000301', 'ar-999999999', 'ar-1', 'nope'])(
    'answers 404 problem+json for %s',
    async (id) => {
      const response = await backend.call(`/audit/records/${id}`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    },
  );
});

describe('permissions', () => {
  it.each(['/audit/records', '/audit/records/ar-000000001', '/audit/export?format=csv'])(
    'refuses %s to a regular user (403) and answers an auditor (200)',
    async (path) => {
      const regular = await createTestBackend({ as: 'jdoe', data: dataWith(RECORDS) }).call(path);
      expect(regular.status).toBe(403);
      expect(regular.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
      const auditor = await createTestBackend({ as: 'auditor', data: dataWith(RECORDS) }).call(path);
      expect(auditor.status).toBe(200);
      await auditor.body?.cancel();
    },
  );

  it('refuses a request without a session (401)', async () => {
    const response = await createTestBackend({ as: null, data: dataWith(RECORDS) }).call('/audit/records');
    expect(response.status).toBe(401);
  });
});

// ---------------------------------------------------------------------------------------------------
// GET /audit/export
// ---------------------------------------------------------------------------------------------------

describe('GET /audit/export', () => {
  const backend = createTestBackend({ as: 'auditor', data: dataWith(RECORDS) });

  it('exports CSV: the header row, then exactly the filtered rows in paging order', async () => {
    const query = 'summary=Permission+denied&summary=Successful+authentication';
    const { response, text } = await exportText(backend, `${query}&format=csv`);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-log-.*\.csv"$/);

    const rows = parseCsv(text);
    expect(rows[0]).toEqual([...EXPORT_COLUMNS]);
    const paged = await pageThrough(backend, query, 7);
    expect(rows.slice(1).map((row) => row[ID_COLUMN])).toEqual(idsOf(paged.records));
    expect(rows).toHaveLength(1 + 120);
    for (const row of rows) expect(row).toHaveLength(EXPORT_COLUMNS.length);
  });

  it('writes each record into its columns', async () => {
    const { text } = await exportText(
      backend,
      `from=${byId.get('ar-000000004')!.timestamp}&to=${byId.get('ar-000000004')!.timestamp}&format=csv`,
    );
    const [, row] = parseCsv(text);
    const record = byId.get('ar-000000004')!;
    const cell = (column: (typeof EXPORT_COLUMNS)[number]) => row![EXPORT_COLUMNS.indexOf(column)];
    expect(cell('id')).toBe('ar-000000004');
    expect(cell('timestamp')).toBe(record.timestamp);
    expect(cell('event')).toBe('Settings changed');
    expect(cell('author')).toBe('admin');
    expect(cell('changed values')).toBe('disableBasicAuth: false -> true');
    expect(cell('client IP')).toBe('198.51.100.4');
    expect(cell('load balancer/proxy IP')).toBe('192.0.2.254');
    expect(cell('token description')).toBe('Token, number "4"');
    expect(cell('REST endpoint')).toBe('/rest/api/2/issue/T-4');
  });

  it('neutralises a token description that is a spreadsheet formula', async () => {
    const { text } = await exportText(backend, 'format=csv');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
    const row = parseCsv(text).find((r) => r[ID_COLUMN] === auditId(FORMULA_INDEX))!;
    expect(row[DESCRIPTION_COLUMN]).toBe(`'${FORMULA}`);
    // No cell of the whole export starts with a formula character.
    for (const cells of parseCsv(text)) for (const c of cells) expect(c).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('exports JSON Lines that parse back to the records, in paging order', async () => {
    const { response, text } = await exportText(
      backend,
      `ip=${encodeURIComponent('10.0.0.0/8')}&format=jsonl`,
    );
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(response.headers.get('content-disposition')).toMatch(/\.jsonl"$/);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as AuditRecord);
    expect(lines).toEqual(RECORDS.filter((r) => r.source.clientIp!.startsWith('10.')));
  });

  it.each([
    ['every record', 'format=csv'],
    ['a filtered set', 'summary=Permission+denied&summary=Successful+authentication&format=jsonl'],
    ['an empty set', 'q=nothing-matches-this&format=csv'],
  ])('says in a header how many records %s holds', async (_, query) => {
    const { response, text } = await exportText(backend, query);
    const rows = query.includes('jsonl')
      ? text.split('\n').filter(Boolean).length
      : parseCsv(text).length - 1;
    expect(response.headers.get(EXPORT_TOTAL_HEADER)).toBe(String(rows));
  });

  it('exports an empty set as the header row only', async () => {
    const { text } = await exportText(backend, 'q=nothing-matches-this&format=csv');
    expect(parseCsv(text)).toEqual([[...EXPORT_COLUMNS]]);
    const jsonl = await exportText(backend, 'q=nothing-matches-this&format=jsonl');
    expect(jsonl.text).toBe('');
  });

  it.each(['format=xlsx', '', 'format=csv&ip=300.1.1.1', 'format=csv&from=yesterday'])(
    'answers 400 for %j',
    async (query) => {
      const response = await backend.call(`/audit/export?${query}`);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    },
  );

  it('exports all of more than 1,000 matching records (streams beyond one page)', async () => {
    const many = makeRecords(2_500, { stepMs: 60_000 });
    const big = createTestBackend({ as: 'auditor', data: dataWith(many) });
    const csv = parseCsv((await exportText(big, 'format=csv')).text);
    expect(csv).toHaveLength(2_501);
    expect(csv.slice(1).map((row) => row[ID_COLUMN])).toEqual(idsOf(many));

    const jsonl = (await exportText(big, 'format=jsonl')).text.trimEnd().split('\n');
    expect(jsonl).toHaveLength(2_500);
    expect(jsonl.map((line) => (JSON.parse(line) as AuditRecord).id)).toEqual(idsOf(many));

    const filtered = parseCsv((await exportText(big, 'summary=Permission+denied&format=csv')).text);
    expect(filtered.slice(1).map((row) => row[ID_COLUMN])).toEqual(
      idsOf(many.filter((r) => r.summary === 'Permission denied')),
    );
  });
});

// ---------------------------------------------------------------------------------------------------
// Retention
// ---------------------------------------------------------------------------------------------------

describe('retention', () => {
  // 120 records, one every 12 hours, the newest 1 hour ago: they span about 60 days.
  const SPAN = makeRecords(120, { stepMs: 12 * HOUR, newestAgoMs: HOUR });
  const cutoff = new Date(TEST_NOW.getTime() - 30 * DAY).toISOString();
  const kept = SPAN.filter((r) => r.timestamp >= cutoff);
  const purged = SPAN.filter((r) => r.timestamp < cutoff);

  const backendWithRetention = () =>
    createTestBackend({
      as: 'auditor',
      data: dataWith(SPAN),
      settings: { auditLogging: { ...DEFAULT_SETTINGS.auditLogging, retentionDays: 30 } },
    });

  it('has records on both sides of the cut-off', () => {
    expect(kept.length).toBeGreaterThan(50);
    expect(purged.length).toBeGreaterThan(50);
  });

  it('does not list records older than now - 30 days', async () => {
    const backend = backendWithRetention();
    const { records } = await pageThrough(backend, '', 25);
    expect(idsOf(records)).toEqual(idsOf(kept));
    const older = await page(backend, `from=${SPAN.at(-1)!.timestamp}&limit=1000`);
    expect(idsOf(older.records)).toEqual(idsOf(kept));
  });

  it('does not export them', async () => {
    const backend = backendWithRetention();
    const csv = parseCsv((await exportText(backend, 'format=csv')).text);
    expect(csv.slice(1).map((row) => row[ID_COLUMN])).toEqual(idsOf(kept));
    const jsonl = (await exportText(backend, 'format=jsonl')).text.trimEnd().split('\n');
    expect(jsonl.map((line) => (JSON.parse(line) as AuditRecord).id)).toEqual(idsOf(kept));
  });

  it('answers 404 for one of them, 200 for a kept one', async () => {
    const backend = backendWithRetention();
    expect((await backend.call(`/audit/records/${purged[0]!.id}`)).status).toBe(404);
    expect((await backend.call(`/audit/records/${purged.at(-1)!.id}`)).status).toBe(404);
    expect((await backend.call(`/audit/records/${kept.at(-1)!.id}`)).status).toBe(200);
  });

  it('keeps everything within the default 90 days', async () => {
    const backend = createTestBackend({ as: 'auditor', data: dataWith(SPAN) });
    const { records } = await pageThrough(backend, '', 1000);
    expect(records).toHaveLength(120);
  });
});

describe('time zones of the histogram and the Overview (a client cannot fill memory with spellings)', () => {
  /** "europe/berlin" with the letters whose bit is set in `n` upper-cased: 2^13 spellings of one zone. */
  const spelling = (zone: string, n: number) =>
    [...zone].map((c, i) => ((n >> i) & 1 ? c.toUpperCase() : c)).join('');

  it('answers every spelling with the zone’s one name, and caches one formatter for all of them', async () => {
    const backend = createTestBackend({ as: 'auditor' });
    const before = cachedTimeZoneCount();
    for (let n = 0; n < 1_500; n++) {
      const tz = encodeURIComponent(spelling('europe/berlin', n));
      const response = await backend.call(
        `/audit/histogram?bucket=day&from=2026-11-20T00:00:00.000Z&tz=${tz}`,
      );
      expect(response.status).toBe(200);
      expect(((await response.json()) as { tz: string }).tz).toBe('Europe/Berlin');
      expect((await backend.call(`/overview?tz=${tz}`)).status).toBe(200);
    }
    expect(cachedTimeZoneCount() - before).toBeLessThanOrEqual(1);
  });

  it('resolves an alias to its canonical zone, and refuses a zone that does not exist', async () => {
    const backend = createTestBackend({ as: 'auditor' });
    const alias = await backend.call(
      '/audit/histogram?bucket=day&from=2026-11-20T00:00:00.000Z&tz=US/Eastern',
    );
    expect(((await alias.json()) as { tz: string }).tz).toBe('America/New_York');
    expect((await backend.call('/overview?tz=Europe/Atlantis')).status).toBe(400);
  });

  it('keeps at most MAX_CACHED_TIME_ZONES formatters, whatever zones are asked for', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    for (let i = 0; i < MAX_CACHED_TIME_ZONES + 200; i++) {
      bucketStart(TEST_NOW.getTime(), 'day', zones[i % zones.length]!);
      bucketStart(TEST_NOW.getTime(), 'day', `Etc/GMT${i % 2 ? '+' : '-'}${i % 12}`);
    }
    expect(cachedTimeZoneCount()).toBeLessThanOrEqual(MAX_CACHED_TIME_ZONES);
  });
});
