/** The store contract's audit records: see store-contract.ts. */
import { describe, expect, it } from 'vitest';
import { FAILURE_REASONS, LOGGING_CATEGORY } from '../../../contract/audit';
import { AuditFilterSchema, compileAuditFilter, type AuditFilter } from '../../../contract/audit-query';
import { SCOPE_LABELS } from '../../../contract/tokens';
import type { Store } from '../port';
import { AUTH_EVENTS, data, DAY, HOUR, iso, NOW } from './data-set';
import { AUDIT_FILTERS, newest, oldest, records, tieFrom, tieTo } from './audit-filters';
import { allAuditPages, DAY_STARTS, expectedAuditIds, expectedHistogram, newRecord } from './references';

export function describeAuditRecordContract(create: () => Promise<Store>): void {
  describe('audit records', () => {
    it('lists every record newest first, each once, page by page', async () => {
      const store = await create();
      const all = data.auditRecords.map((r) => r.id);
      expect(await allAuditPages(store, {}, 7)).toEqual(all);
      expect((await allAuditPages(store, {}, 1)).slice(0, 20)).toEqual(all.slice(0, 20));
      const page = await store.listAuditRecords({ limit: 1000 });
      expect(page).toEqual({ items: data.auditRecords, nextCursor: null });
      expect((await store.listAuditRecords({ limit: 500 })).nextCursor).toBeNull();
      expect((await store.listAuditRecords({ limit: 499 })).nextCursor).toBe(all[498]);
    });

    it.each(AUDIT_FILTERS)('filters: %s', async (_, filter) => {
      const store = await create();
      const expected = expectedAuditIds(records, filter);
      expect(await store.listAuditRecords({ ...filter, limit: 1000 })).toEqual({
        items: expected.map((id) => records.find((r) => r.id === id)),
        nextCursor: null,
      });
      expect(await allAuditPages(store, filter, 7)).toEqual(expected);
      expect(await allAuditPages(store, filter, 50)).toEqual(expected);
    });

    it('covers the filters with the data set: most match some records, none matches all', () => {
      const sizes = AUDIT_FILTERS.map(([, filter]) => expectedAuditIds(records, filter).length);
      expect(sizes.filter((n) => n > 0 && n < records.length).length).toBeGreaterThan(
        AUDIT_FILTERS.length * 0.7,
      );
    });

    it('finds every text the free-text filter searches, and nothing else', async () => {
      // Every string of every record (and the labels of the failure reasons and scopes), whole and in
      // part, in another case: an adapter that searches other texts, or fewer, differs somewhere.
      const texts = new Set<string>([...Object.values(FAILURE_REASONS), ...Object.values(SCOPE_LABELS)]);
      const collect = (value: unknown) => {
        if (typeof value === 'string') texts.add(value);
        else if (value && typeof value === 'object') Object.values(value).forEach(collect);
      };
      records.forEach(collect);
      const probes = new Set<string>();
      for (const text of texts) {
        const trimmed = text.trim();
        if (trimmed === '') continue;
        probes.add(trimmed.toUpperCase());
        if (trimmed.length > 4) probes.add(trimmed.slice(1, -1).trim() || trimmed);
      }
      const store = await create();
      for (const q of probes) {
        const expected = expectedAuditIds(records, { q });
        const actual = (await store.listAuditRecords({ q, limit: 1000 })).items.map((r) => r.id);
        expect(actual, `q=${JSON.stringify(q)}`).toEqual(expected);
      }
      expect(probes.size).toBeGreaterThan(100);
    });

    it('finds records by every affected object, by id and by name', async () => {
      const store = await create();
      const objects = new Set(records.flatMap((r) => r.affectedObjects.flatMap((o) => [o.id, o.name])));
      for (const object of objects) {
        if (object.trim() !== object || object === '') continue;
        const expected = expectedAuditIds(records, { object });
        expect(expected.length).toBeGreaterThan(0);
        expect(
          (await store.listAuditRecords({ object, limit: 1000 })).items.map((r) => r.id),
          object,
        ).toEqual(expected);
      }
    });

    it('keeps only newer records with `after`, with filters and cursors', async () => {
      const store = await create();
      const after = records[49]!.id;
      expect(await allAuditPages(store, { after }, 7)).toEqual(records.slice(0, 49).map((r) => r.id));
      const filter = { summary: ['Successful authentication' as const] };
      expect(await allAuditPages(store, { ...filter, after }, 3)).toEqual(
        expectedAuditIds(records.slice(0, 49), filter),
      );
      expect(await store.listAuditRecords({ after: newest.id, limit: 10 })).toEqual({
        items: [],
        nextCursor: null,
      });
    });

    it('gets one record', async () => {
      const store = await create();
      expect(await store.getAuditRecord(records[123]!.id)).toEqual(records[123]);
      expect(await store.getAuditRecord('ar-999999999')).toBeUndefined();
      expect(await store.getAuditRecord('nope')).toBeUndefined();
    });

    it('appends records: ids continue from the last one, newest first', async () => {
      const store = await create();
      const appended = await store.appendAuditRecords([
        newRecord(),
        newRecord({ summary: 'API token deleted' }),
      ]);
      expect(appended.map((r) => r.id)).toEqual(['ar-000000501', 'ar-000000502']);
      expect(appended[1]).toEqual({ id: 'ar-000000502', ...newRecord({ summary: 'API token deleted' }) });
      const more = await store.appendAuditRecords([newRecord()]);
      expect(more[0]!.id).toBe('ar-000000503');
      expect(await store.appendAuditRecords([])).toEqual([]);
      const page = await store.listAuditRecords({ limit: 4 });
      expect(page.items.map((r) => r.id)).toEqual([
        'ar-000000503',
        'ar-000000502',
        'ar-000000501',
        newest.id,
      ]);
      expect(await store.getAuditRecord('ar-000000502')).toEqual(appended[1]);
      expect((await store.listAuditRecords({ after: newest.id, limit: 10 })).items.map((r) => r.id)).toEqual([
        'ar-000000503',
        'ar-000000502',
        'ar-000000501',
      ]);
      const all = [...more, ...appended.slice().reverse(), ...records];
      expect(await allAuditPages(store, { object: 'tok-new' }, 2)).toEqual(
        expectedAuditIds(all, { object: 'tok-new' }),
      );
      expect(await allAuditPages(store, { author: 'admin' }, 5)).toEqual(
        expectedAuditIds(all, { author: 'admin' }),
      );
    });

    it('purges records older than the retention floor', async () => {
      const store = await create();
      const appended = await store.appendAuditRecords([newRecord()]);
      const before = records[250]!.timestamp;
      await store.purgeAuditRecords(before);
      const kept = [...appended, ...records.filter((r) => r.timestamp >= before)];
      expect(kept.length).toBeLessThan(records.length);
      expect(await allAuditPages(store, {}, 13)).toEqual(kept.map((r) => r.id));
      expect(await store.getAuditRecord(records[250]!.id)).toEqual(records[250]);
      expect(await store.getAuditRecord(records.at(-1)!.id)).toBeUndefined();
      expect(await allAuditPages(store, { from: oldest.timestamp }, 50)).toEqual(kept.map((r) => r.id));
      // An earlier floor changes nothing.
      await store.purgeAuditRecords(oldest.timestamp);
      expect(await allAuditPages(store, {}, 100)).toEqual(kept.map((r) => r.id));
      expect((await store.appendAuditRecords([newRecord()]))[0]!.id).toBe('ar-000000502');
    });

    // The memory adapter gives out the ids of purged appended records again (its last id falls back to
    // the seed's newest once every appended record is purged).
    it('never gives out an id again, even once everything is purged', async () => {
      const store = await create();
      await store.appendAuditRecords([newRecord(), newRecord()]);
      await store.purgeAuditRecords(iso(NOW.getTime() + DAY));
      expect(await store.listAuditRecords({ limit: 10 })).toEqual({ items: [], nextCursor: null });
      expect(
        (await store.appendAuditRecords([newRecord({ timestamp: iso(NOW.getTime() + 2 * DAY) })]))[0]!.id,
      ).toBe('ar-000000503');
    });

    const HISTOGRAMS: [string, Partial<AuditFilter>][] = [
      ['nothing', {}],
      ['events', { summary: ['Permission denied', 'Settings changed'] }],
      ['a rare author', { author: 'önder' }],
      ['anonymous', { author: 'anonymous' }],
      ['category', { category: LOGGING_CATEGORY }],
      ['text', { q: 'backup' }],
      ['text with a line break', { q: '/8\n192' }],
      ['text that SQLite folds further', { q: 'message' }],
      ['a word that is not there', { q: 'no-such-text' }],
      ['an IPv4-mapped range', { ip: '::ffff:10.0.0.0/104' }],
      ['an address', { ip: '2001:db8::7' }],
      ['an object with quotes', { object: 'tok-%_"x"' }],
      ['address', { ip: '10.0.0.0/8' }],
      ['object', { object: 'U3' }],
      ['range', { from: tieFrom, to: tieTo }],
    ];

    it.each(HISTOGRAMS)('counts per bucket and outcome: %s', async (_, input) => {
      const store = await create();
      const filter = AuditFilterSchema.parse(input);
      expect(await store.auditHistogram(filter, DAY_STARTS)).toEqual(expectedHistogram(filter, DAY_STARTS));
      const hours = Array.from({ length: 30 }, (_, i) => Date.parse(tieFrom) + (i - 3) * HOUR);
      expect(await store.auditHistogram(filter, hours)).toEqual(expectedHistogram(filter, hours));
      expect(await store.auditHistogram(filter, [])).toEqual([]);
    });

    it('counts the most frequent values of a field', async () => {
      const store = await create();
      for (const input of [
        {},
        { summary: [...AUTH_EVENTS.slice(1)] },
        { ip: '10.0.0.0/8' },
        { ip: '::/0' },
        { q: '/8\n192' },
        { q: 'message' },
        { object: 'U3' },
      ]) {
        const filter = AuditFilterSchema.parse(input);
        for (const field of ['clientIp', 'username'] as const) {
          const counts = new Map<string, number>();
          for (const record of records.filter(compileAuditFilter(filter))) {
            const value = field === 'clientIp' ? record.source.clientIp : record.details.username;
            if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
          }
          const expected = [...counts]
            .map(([value, count]) => ({ value, count }))
            .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
            .slice(0, 3);
          expect(await store.auditTopValues(filter, field, 3), `${field} ${JSON.stringify(input)}`).toEqual(
            expected,
          );
        }
      }
    });
  });
}
