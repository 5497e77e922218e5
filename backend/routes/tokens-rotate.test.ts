import { describe, expect, it } from 'vitest';
import { BASE_PATH } from '../../contract/api';
import { CreatedTokenSchema, TokenSchema } from '../../contract/tokens';
import { hashSecret } from '../auth/secrets';
import { basic, bearer, createTestBackend, TEST_NOW } from '../test/harness';
import type { Backend } from './tokens-test-kit';
import {
  SECRETS,
  TOKENS,
  dataSet,
  backendWith,
  list,
  restMyself,
  auditRecords,
  inDays,
} from './tokens-test-kit';

describe('POST /tokens/{id}/rotate', () => {
  const rotate = (backend: Backend, id: string, body: unknown = {}) =>
    backend.json('POST', `/tokens/${id}/rotate`, body);

  async function rotateOk(backend: Backend, id: string, body: unknown = {}) {
    const response = await rotate(backend, id, body);
    expect(response.status).toBe(200);
    return CreatedTokenSchema.parse(await response.json());
  }

  it('gives the same token a new secret, once; the old secret stops working at once', async () => {
    const backend = backendWith({ as: 'jdoe' });
    const { token, secret } = await rotateOk(backend, 'tok_ci');
    expect(secret).toMatch(/^atc_[0-9A-Za-z]{40}$/);
    expect(secret).not.toBe(SECRETS.ci);
    // Same id and settings; no previous secret works.
    expect(token).toEqual(TokenSchema.parse({ ...TOKENS.ci, previousSecretExpiresAt: null }));
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(401);
    expect((await restMyself(backend, bearer(secret))).status).toBe(200);
    expect((await restMyself(backend, basic('jdoe', secret))).status).toBe(200);
    // The secret is never stored or answered again.
    expect(JSON.stringify(backend.store.exportChanges())).not.toContain(secret);
    expect(JSON.stringify(await list(backend))).not.toContain(secret);
  });

  it('keeps the old secret working for the grace period, and not a moment longer', async () => {
    let now = TEST_NOW;
    const backend = createTestBackend({ as: 'jdoe', data: dataSet(), now: () => now });
    const { token, secret } = await rotateOk(backend, 'tok_ci', { gracePeriodMinutes: 60 });
    const until = new Date(TEST_NOW.getTime() + 60 * 60_000).toISOString();
    expect(token.previousSecretExpiresAt).toBe(until);
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(200);
    expect((await restMyself(backend, bearer(secret))).status).toBe(200);
    now = new Date(Date.parse(until) - 1);
    expect((await restMyself(backend, basic('jdoe', SECRETS.ci))).status).toBe(200);
    now = new Date(until);
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(401);
    expect((await restMyself(backend, bearer(secret))).status).toBe(200);
  });

  it('a second rotation stops the secret still in its grace period', async () => {
    const backend = backendWith({ as: 'jdoe' });
    const first = await rotateOk(backend, 'tok_ci', { gracePeriodMinutes: 60 });
    const second = await rotateOk(backend, 'tok_ci', { gracePeriodMinutes: 60 });
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(401);
    expect((await restMyself(backend, bearer(first.secret))).status).toBe(200);
    expect((await restMyself(backend, bearer(second.secret))).status).toBe(200);
  });

  it('is audited as "API token rotated" with the token id, never the secret', async () => {
    const backend = backendWith({ as: 'admin' });
    const { secret } = await rotateOk(backend, 'tok_report', { gracePeriodMinutes: 1440 });
    const [record] = await auditRecords(backend);
    expect(record).toEqual({
      id: expect.any(String),
      timestamp: TEST_NOW.toISOString(),
      author: { username: 'admin', displayName: 'Alice Admin' },
      category: 'API Token Authentication',
      summary: 'API token rotated',
      affectedObjects: [
        { type: 'user', id: 'U3', name: 'jdoe' },
        { type: 'token', id: 'tok_report', name: 'Reporting dashboard' },
      ],
      changedValues: [
        { field: 'Secret', from: 'previous secret', to: 'new secret' },
        { field: 'Previous secret works until', from: null, to: inDays(1) },
      ],
      source: { clientIp: '203.0.113.10', proxyIp: null, nodeId: 'node-1', method: 'POST' },
      details: {
        tokenId: 'tok_report',
        tokenDescription: 'Reporting dashboard',
        scope: 'READ_ONLY',
        username: 'jdoe',
        endpoint: `${BASE_PATH}/tokens/tok_report/rotate`,
        credential: { kind: 'session' },
      },
    });
    expect(JSON.stringify(record)).not.toContain(secret);
    expect(JSON.stringify(record)).not.toContain(hashSecret(secret));
  });

  it.each([
    { as: 'jdoe', id: 'tok_ci', status: 200, why: 'own token' },
    { as: 'jdoe', id: 'tok_admin', status: 404, why: "someone else's token does not exist for them" },
    { as: 'jdoe', id: 'tok_nope', status: 404, why: 'unknown token' },
    { as: 'auditor', id: 'tok_audit', status: 403, why: 'auditors change nothing' },
    { as: 'admin', id: 'tok_ci', status: 200, why: 'Token Manager' },
    { as: null, id: 'tok_ci', status: 401, why: 'not signed in' },
  ])('$as rotating $id: $status ($why)', async ({ as, id, status }) => {
    const backend = backendWith({ as });
    expect((await rotate(backend, id)).status).toBe(status);
    const before = Object.values(TOKENS).find((t) => t.id === id);
    if (status !== 200) expect(await backend.store.getToken(id)).toEqual(before);
  });

  it('needs the right to create tokens for an own token', async () => {
    const backend = backendWith({
      as: 'jdoe',
      permissions: { createTokens: { everyone: false, groups: [] } },
    });
    const response = await rotate(backend, 'tok_ci');
    expect(response.status).toBe(403);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/cannot rotate/);
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(200);
  });

  it.each([
    { name: 'a negative grace period', body: { gracePeriodMinutes: -1 } },
    { name: 'more than 7 days', body: { gracePeriodMinutes: 10081 } },
    { name: 'a fraction of a minute', body: { gracePeriodMinutes: 1.5 } },
    { name: 'a grace period as text', body: { gracePeriodMinutes: '60' } },
    { name: 'another field', body: { gracePeriodMinutes: 0, expiresAt: null } },
  ])('refuses $name with 422 and keeps the secret', async ({ body }) => {
    const backend = backendWith({ as: 'jdoe' });
    expect((await rotate(backend, 'tok_ci', body)).status).toBe(422);
    expect(await backend.store.getToken('tok_ci')).toEqual(TOKENS.ci);
    expect(await auditRecords(backend)).toEqual([]);
  });
});
