import { describe, expect, it, vi } from 'vitest';
import { AuditRecordsPageSchema, EXPORT_TOTAL_HEADER } from '../../contract/audit-query';
import { DEFAULT_SETTINGS } from '../../contract/settings';
import { fixtureAuditRecord, fixtureData } from '../test/fixtures';
import { createTestBackend, TEST_NOW } from '../test/harness';

const SECOND = 1_000;
const DAY = 86_400_000;
const RETENTION_DAYS = 30;
const cutoffAt = (nowMs: number) => nowMs - RETENTION_DAYS * DAY;

/**
 * Retention between purges: the records behind the cut-off are deleted at most once a minute, and
 * every read leaves them out all the same (the route tests of retention as such are in audit.test.ts).
 */
describe('retention between purges', () => {
  // Records 1…5, 10 s apart, the oldest 5 s after the cut-off at TEST_NOW.
  const records = [1, 2, 3, 4, 5].map((n) =>
    fixtureAuditRecord(n, new Date(cutoffAt(TEST_NOW.getTime()) + (n * 10 - 5) * SECOND).toISOString()),
  );
  const ids = (list: readonly { id: string }[]) => list.map((r) => r.id);

  function backendAt(clock: { ms: number }) {
    const backend = createTestBackend({
      as: 'auditor',
      data: { ...fixtureData(), auditRecords: records.toReversed() },
      settings: { auditLogging: { ...DEFAULT_SETTINGS.auditLogging, retentionDays: RETENTION_DAYS } },
      now: () => new Date(clock.ms),
    });
    const purges = vi.spyOn(backend.store, 'purgeAuditRecords');
    const list = async () =>
      ids(
        AuditRecordsPageSchema.parse(await (await backend.call('/audit/records?limit=100')).json()).records,
      );
    return { backend, purges, list };
  }

  it('purges at the first read, then only when the cut-off has moved a minute', async () => {
    const clock = { ms: TEST_NOW.getTime() };
    const { purges, list } = backendAt(clock);
    await list();
    expect(purges).toHaveBeenCalledTimes(1);
    clock.ms += 30 * SECOND;
    await list();
    expect(purges).toHaveBeenCalledTimes(1);
    clock.ms += 31 * SECOND;
    await list();
    expect(purges).toHaveBeenCalledTimes(2);
    expect(purges).toHaveBeenLastCalledWith(new Date(cutoffAt(clock.ms)).toISOString());
  });

  it('leaves out what passed the cut-off since the last purge: in lists, one by one, exports and counts', async () => {
    const clock = { ms: TEST_NOW.getTime() };
    const { backend, purges, list } = backendAt(clock);
    expect(await list()).toEqual([
      'ar-000000005',
      'ar-000000004',
      'ar-000000003',
      'ar-000000002',
      'ar-000000001',
    ]);
    // 20 s later records 1 and 2 (5 s and 15 s after the old cut-off) are older than the period.
    clock.ms += 20 * SECOND;
    expect(await list()).toEqual(['ar-000000005', 'ar-000000004', 'ar-000000003']);
    expect(purges).toHaveBeenCalledTimes(1);
    expect((await backend.call('/audit/records/ar-000000002')).status).toBe(404);
    expect((await backend.call('/audit/records/ar-000000003')).status).toBe(200);
    const exported = await backend.call('/audit/export?format=jsonl');
    const lines = (await exported.text()).trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual([
      'ar-000000005',
      'ar-000000004',
      'ar-000000003',
    ]);
    expect(exported.headers.get(EXPORT_TOTAL_HEADER)).toBe('3');
    const histogram = (await (await backend.call('/audit/histogram?bucket=day')).json()) as {
      buckets: { counts: Record<string, number> }[];
    };
    const counted = histogram.buckets.flatMap((b) => Object.values(b.counts)).reduce((a, b) => a + b, 0);
    expect(counted).toBe(3);
    expect(purges).toHaveBeenCalledTimes(1);
  });
});
