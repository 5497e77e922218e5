import { describe, expect, it } from 'vitest';
import { APP_LOGGERS } from '../../contract/logging';
import { backendWith, send, auditRecords, logEntries, expectRecord } from './engine-test-kit';
import { CASES } from './engine-cases';

describe('the authentication engine, through GET /rest/api/2/myself and POST /rest/api/2/issue', () => {
  for (const { name, settings, request, status, record, log } of CASES) {
    it(name, async () => {
      const backend = backendWith(settings);
      const response = await send(backend, request);
      expect(response.status).toBe(status);

      const records = await auditRecords(backend);
      if (record === null) {
        expect(records).toEqual([]);
      } else {
        expect(records).toHaveLength(1);
        expectRecord(records[0], record, request);
      }

      const entries = await logEntries(backend);
      if (log === null) {
        expect(entries).toEqual([]);
      } else {
        expect(entries).toContainEqual(
          expect.objectContaining({
            level: 'INFO',
            logger: APP_LOGGERS.authService,
            message: expect.stringMatching(log),
          }),
        );
      }
    });
  }
});
