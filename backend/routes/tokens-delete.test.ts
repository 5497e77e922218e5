import { describe, expect, it } from 'vitest';
import { BASE_PATH } from '../../contract/api';
import { DEFAULT_SETTINGS } from '../../contract/settings';
import { hashSecret } from '../auth/secrets';
import { basic, bearer, TEST_NOW } from '../test/harness';
import type { Backend } from './tokens-test-kit';
import { SECRETS, backendWith, createOk, list, listed, restMyself, auditRecords } from './tokens-test-kit';

describe('DELETE /tokens/{id}', () => {
  const revoke = (backend: Backend, id: string) => backend.call(`/tokens/${id}`, { method: 'DELETE' });

  it('revokes an own token: 204, and its secret no longer authenticates', async () => {
    const backend = backendWith({ as: 'jdoe' });
    const { token, secret } = await createOk(backend);
    expect((await restMyself(backend, bearer(secret))).status).toBe(200);

    const response = await revoke(backend, token.id);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect((await restMyself(backend, bearer(secret))).status).toBe(401);
    expect((await restMyself(backend, basic('jdoe', secret))).status).toBe(401);
    expect(await backend.store.findTokenByHash(hashSecret(secret))).toBeUndefined();
    expect((await list(backend)).tokens.map((t) => t.id)).not.toContain(token.id);
    expect((await revoke(backend, token.id)).status).toBe(404);
  });

  it('revokes a token of the data set just the same', async () => {
    const backend = backendWith({ as: 'jdoe' });
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(200);
    expect((await revoke(backend, 'tok_ci')).status).toBe(204);
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(401);
    expect(await listed(backend, '')).toEqual(['Reporting dashboard', 'Old script']);
  });

  it.each([
    { as: 'jdoe', id: 'tok_admin', status: 404, why: "someone else's token does not exist for them" },
    { as: 'jdoe', id: 'tok_nope', status: 404, why: 'unknown token' },
    { as: 'auditor', id: 'tok_audit', status: 403, why: 'auditors change nothing' },
    { as: 'admin', id: 'tok_ci', status: 204, why: 'Token Manager' },
    { as: null, id: 'tok_ci', status: 401, why: 'not signed in' },
  ])('$as revoking $id: $status ($why)', async ({ as, id, status }) => {
    const backend = backendWith({ as });
    expect((await revoke(backend, id)).status).toBe(status);
    expect((await backend.store.getToken(id)) === undefined).toBe(status === 204 || id === 'tok_nope');
  });

  it("leaves an admin's token working when jdoe tries to revoke it", async () => {
    const backend = backendWith({ as: 'jdoe' });
    await revoke(backend, 'tok_admin');
    expect((await restMyself(backend, bearer(SECRETS.adminBackup))).status).toBe(200);
    expect(await auditRecords(backend)).toEqual([]);
  });
});

describe('DELETE /users/{key}/tokens', () => {
  const revokeAll = (backend: Backend, key: string) =>
    backend.call(`/users/${key}/tokens`, { method: 'DELETE' });

  it("revokes every token of a user and answers how many; other users' tokens stay", async () => {
    const backend = backendWith({ as: 'admin' });
    const response = await revokeAll(backend, 'U3');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ deleted: 3 });
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(401);
    expect((await list(backend, 'all=true')).tokens.map((t) => t.ownerUsername).sort()).toEqual([
      'admin',
      'auditor',
    ]);
    expect((await restMyself(backend, bearer(SECRETS.adminBackup))).status).toBe(200);
  });

  it('writes one "All API tokens of a user deleted" record with the user and every token', async () => {
    const backend = backendWith({ as: 'admin' });
    await revokeAll(backend, 'U3');
    expect(await auditRecords(backend)).toEqual([
      {
        id: expect.any(String),
        timestamp: TEST_NOW.toISOString(),
        author: { username: 'admin', displayName: 'Alice Admin' },
        category: 'API Token Authentication',
        summary: 'All API tokens of a user deleted',
        affectedObjects: [
          { type: 'user', id: 'U3', name: 'jdoe' },
          { type: 'token', id: 'tok_ci', name: 'CI pipeline' },
          { type: 'token', id: 'tok_report', name: 'Reporting dashboard' },
          { type: 'token', id: 'tok_old', name: 'Old script' },
        ],
        changedValues: [{ field: 'Tokens', from: '3', to: '0' }],
        source: { clientIp: '203.0.113.10', proxyIp: null, nodeId: 'node-1', method: 'DELETE' },
        details: {
          username: 'jdoe',
          endpoint: `${BASE_PATH}/users/U3/tokens`,
          credential: { kind: 'session' },
        },
      },
    ]);
  });

  it('answers 0 for a user without tokens, and writes no record', async () => {
    const backend = backendWith({ as: 'admin' });
    await revokeAll(backend, 'U3');
    const again = await revokeAll(backend, 'U3');
    expect(await again.json()).toEqual({ deleted: 0 });
    expect(await auditRecords(backend)).toHaveLength(1);
  });

  it.each([
    { as: 'jdoe', key: 'U3', status: 403 },
    { as: 'auditor', key: 'U3', status: 403 },
    { as: 'admin', key: 'U999', status: 404 },
    { as: null, key: 'U3', status: 401 },
  ])('$as revoking all tokens of $key: $status', async ({ as, key, status }) => {
    const backend = backendWith({ as });
    expect((await revokeAll(backend, key)).status).toBe(status);
    expect(await backend.store.getToken('tok_ci')).toBeDefined();
  });
});

describe('audit records of creation and deletion', () => {
  it('are written although every Audit Logging option is off', async () => {
    const backend = backendWith({ as: 'jdoe' });
    expect((await backend.store.getSettings()).auditLogging).toEqual(DEFAULT_SETTINGS.auditLogging);
    expect(Object.values(DEFAULT_SETTINGS.auditLogging).filter((v) => v === true)).toEqual([]);
    const { token } = await createOk(backend);
    await backend.call(`/tokens/${token.id}`, { method: 'DELETE' });
    expect((await auditRecords(backend)).map((r) => r.summary)).toEqual([
      'API token deleted',
      'API token created',
    ]);
  });

  it('"API token created" names the author, the owner, the token and its properties', async () => {
    const backend = backendWith({ as: 'admin' });
    const { token } = await createOk(backend, {
      ownerKey: 'U3',
      scope: 'READ_WRITE',
      ipRestrictions: ['10.0.0.0/8', '2001:db8::/32'],
    });
    expect(await auditRecords(backend)).toEqual([
      {
        id: expect.any(String),
        timestamp: TEST_NOW.toISOString(),
        author: { username: 'admin', displayName: 'Alice Admin' },
        category: 'API Token Authentication',
        summary: 'API token created',
        affectedObjects: [
          { type: 'user', id: 'U3', name: 'jdoe' },
          { type: 'token', id: token.id, name: 'Deploy bot' },
        ],
        changedValues: [
          { field: 'Description', from: null, to: 'Deploy bot' },
          { field: 'Scope', from: null, to: 'Read & Write' },
          { field: 'Expires', from: null, to: '2027-01-01T00:00:00.000Z' },
          { field: 'IP restrictions', from: null, to: '10.0.0.0/8, 2001:db8::/32' },
        ],
        source: { clientIp: '203.0.113.10', proxyIp: null, nodeId: 'node-1', method: 'POST' },
        details: {
          tokenId: token.id,
          tokenDescription: 'Deploy bot',
          scope: 'READ_WRITE',
          username: 'jdoe',
          endpoint: `${BASE_PATH}/tokens`,
          credential: { kind: 'session' },
        },
      },
    ]);
  });

  it('"API token deleted" shares the token id with the creation, and holds the old values', async () => {
    const backend = backendWith({ as: 'jdoe', policy: { maxValidity: { unit: 'never' } } });
    const { token } = await createOk(backend, { expiresAt: null });
    await backend.call(`/tokens/${token.id}`, {
      method: 'DELETE',
      headers: { 'x-test-client-ip': '192.0.2.44' },
    });

    const [deleted, created] = await auditRecords(backend);
    expect(deleted?.details.tokenId).toBe(token.id);
    expect(created?.details.tokenId).toBe(token.id);
    expect(created?.changedValues).toEqual([
      { field: 'Description', from: null, to: 'Deploy bot' },
      { field: 'Scope', from: null, to: 'Read Only' },
      { field: 'Expires', from: null, to: 'Never' },
      { field: 'IP restrictions', from: null, to: '(none)' },
    ]);
    expect(deleted).toMatchObject({
      author: { username: 'jdoe', displayName: 'John Doe' },
      summary: 'API token deleted',
      affectedObjects: [
        { type: 'user', id: 'U3', name: 'jdoe' },
        { type: 'token', id: token.id, name: 'Deploy bot' },
      ],
      changedValues: [
        { field: 'Description', from: 'Deploy bot', to: null },
        { field: 'Scope', from: 'Read Only', to: null },
        { field: 'Expires', from: 'Never', to: null },
        { field: 'IP restrictions', from: '(none)', to: null },
      ],
      source: { clientIp: '192.0.2.44', proxyIp: null, nodeId: 'node-1', method: 'DELETE' },
      details: {
        tokenId: token.id,
        tokenDescription: 'Deploy bot',
        scope: 'READ_ONLY',
        username: 'jdoe',
        endpoint: `${BASE_PATH}/tokens/${token.id}`,
      },
    });
  });

  it('a Token Manager revoking a token of another user is the author; the owner is the affected user', async () => {
    const backend = backendWith({ as: 'admin' });
    await backend.call('/tokens/tok_old', { method: 'DELETE' });
    expect((await auditRecords(backend))[0]).toMatchObject({
      author: { username: 'admin' },
      affectedObjects: [
        { type: 'user', id: 'U3', name: 'jdoe' },
        { type: 'token', id: 'tok_old', name: 'Old script' },
      ],
      details: { tokenId: 'tok_old', username: 'jdoe' },
    });
  });
});
