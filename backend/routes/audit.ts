import { Hono } from 'hono';
import { AuditRecordsQuerySchema, type AuditRecordsPage } from '../../contract/audit-query';
import { requirePermission, type AppEnv } from '../http/context';
import { fieldErrors, HttpProblem } from '../http/problem';

export const auditRoutes = new Hono<AppEnv>().get('/audit/records', (c) => {
  requirePermission(c, 'audit:read');
  const parsed = AuditRecordsQuerySchema.safeParse({
    summary: c.req.queries('summary') ?? [],
    cursor: c.req.query('cursor'),
    limit: c.req.query('limit'),
  });
  if (!parsed.success) {
    throw new HttpProblem(400, 'Bad Request', 'Some filters are not valid.', fieldErrors(parsed.error));
  }
  const { items, nextCursor } = c.get('deps').store.listAuditRecords(parsed.data);
  const body: AuditRecordsPage = { records: items, nextCursor };
  return c.json(body);
});
