import { describe, it } from 'vitest';
import { createTestBackend } from '../../test/harness';
import { dataSet } from './test-kit';
import { ACCEPTED } from './accepted-cases';

describe('hostile and malformed input', () => {
  describe('accepted: valid but odd values are stored verbatim and answered as JSON text', () => {
    it.each(ACCEPTED.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const backend = createTestBackend({ as: c.as ?? 'admin', data: dataSet() });
      await c.run(backend);
    });
  });
});
