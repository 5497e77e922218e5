import { afterAll, describe, expect, it } from 'vitest';
import { createTestBackend } from '../../test/harness';
import type { Refused } from './test-kit';
import { LOGGER, dataSet, snapshot, send, expectProblem } from './test-kit';
import { SETTINGS_CASES } from './settings-cases';
import { TOKEN_CASES, PATCH_CASES, ROTATE_CASES, DELETE_CASES } from './token-cases';
import { LOGGING_CASES, DEMO_CASES, ENCODING_CASES, QUERY_CASES } from './request-cases';
import { ACCEPTED } from './accepted-cases';

const REFUSED: Refused[] = [
  ...SETTINGS_CASES,
  ...TOKEN_CASES,
  ...PATCH_CASES,
  ...ROTATE_CASES,
  ...DELETE_CASES,
  ...LOGGING_CASES,
  ...DEMO_CASES,
  ...ENCODING_CASES,
  ...QUERY_CASES,
];

describe('hostile and malformed input', () => {
  afterAll(() => {
    console.info(
      `bad input (API): ${REFUSED.length + ACCEPTED.length} cases — ${REFUSED.length} refused, ` +
        `${ACCEPTED.length} accepted verbatim`,
    );
  });

  it('has a unique name for every case', () => {
    const names = [...REFUSED, ...ACCEPTED].map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  describe('refused: a clear 4xx as problem+json, and nothing changes', () => {
    const run = async (c: Refused) => {
      const backend = createTestBackend({ as: c.as ?? 'admin', data: dataSet(), settings: c.settings });
      const before = snapshot(backend);
      const version = (await backend.store.getSettings()).version;
      const response = await send(backend, c);
      await expectProblem(response, c.status, c.field);
      expect(snapshot(backend)).toBe(before);
      expect((await backend.store.getSettings()).version).toBe(version);
      expect(await backend.store.listLoggers('node-1')).toContainEqual({
        name: LOGGER,
        configuredLevel: 'INFO',
      });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    };
    it.each(REFUSED.map((c) => [c.name, c] as const))('%s → refused', async (_name, c) => run(c));
  });
});
