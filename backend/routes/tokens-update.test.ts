import { describe, expect, it } from 'vitest';
import { BASE_PATH } from '../../contract/api';
import { TokenSchema } from '../../contract/tokens';
import { bearer } from '../test/harness';
import type { Backend } from './tokens-test-kit';
import {
  SECRETS,
  TOKENS,
  backendWith,
  listed,
  restMyself,
  errorsOf,
  auditRecords,
  inDays,
} from './tokens-test-kit';

describe('PATCH /tokens/{id}', () => {
  const rename = (backend: Backend, id: string, body: unknown) =>
    backend.json('PATCH', `/tokens/${id}`, body);

  it('changes the description of an own token, and answers the token', async () => {
    const backend = backendWith({ as: 'jdoe' });
    const response = await rename(backend, 'tok_ci', { description: '  CI pipeline (main) ' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(
      TokenSchema.parse({ ...TOKENS.ci, description: 'CI pipeline (main)' }),
    );
    expect(await listed(backend, 'q=main')).toEqual(['CI pipeline (main)']);
    expect((await auditRecords(backend)).map((r) => [r.summary, r.changedValues])).toEqual([
      ['API token updated', [{ field: 'Description', from: 'CI pipeline', to: 'CI pipeline (main)' }]],
    ]);
    // The secret still works.
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(200);
  });

  it.each([
    { name: 'an empty description', body: { description: '' }, field: 'description' },
    { name: 'a description of 256 characters', body: { description: 'x'.repeat(256) }, field: 'description' },
    { name: 'a control character', body: { description: 'a\u0000b' }, field: 'description' },
    { name: 'another field', body: { description: 'ok', scope: 'READ_ONLY' }, field: '_' },
  ])('refuses $name with 422', async ({ body, field }) => {
    const backend = backendWith({ as: 'jdoe' });
    const response = await rename(backend, 'tok_ci', body);
    expect(response.status).toBe(422);
    expect(Object.keys(await errorsOf(response))).toEqual([field]);
    expect((await backend.store.getToken('tok_ci'))?.description).toBe('CI pipeline');
  });

  it.each([
    { as: 'jdoe', id: 'tok_ci', status: 200, why: 'own token' },
    { as: 'jdoe', id: 'tok_admin', status: 404, why: "someone else's token does not exist for them" },
    { as: 'jdoe', id: 'tok_nope', status: 404, why: 'unknown token' },
    { as: 'auditor', id: 'tok_audit', status: 403, why: 'auditors change nothing' },
    { as: 'auditor', id: 'tok_ci', status: 404, why: "someone else's token does not exist for them" },
    { as: 'admin', id: 'tok_ci', status: 200, why: 'Token Manager' },
    { as: null, id: 'tok_ci', status: 401, why: 'not signed in' },
  ])('$as renaming $id: $status ($why)', async ({ as, id, status }) => {
    const backend = backendWith({ as });
    expect((await rename(backend, id, { description: 'Renamed' })).status).toBe(status);
    const expected = status === 200 ? 'Renamed' : Object.values(TOKENS).find((t) => t.id === id)?.description;
    expect((await backend.store.getToken(id))?.description).toBe(expected);
  });
});

describe('PATCH /tokens/{id}: expiry and IP restrictions', () => {
  const edit = (backend: Backend, id: string, body: unknown) => backend.json('PATCH', `/tokens/${id}`, body);

  it('changes the expiry and the IP restrictions, audited with old → new values', async () => {
    const backend = backendWith({ as: 'jdoe' });
    const response = await edit(backend, 'tok_report', {
      expiresAt: inDays(90),
      ipRestrictions: [' 10.0.0.0/8', '2001:DB8:0::1'],
    });
    expect(response.status).toBe(200);
    const token = TokenSchema.parse(await response.json());
    expect(token).toMatchObject({ expiresAt: inDays(90), ipRestrictions: ['10.0.0.0/8', '2001:db8::1'] });
    expect(await backend.store.getToken('tok_report')).toMatchObject(token);
    expect(await auditRecords(backend)).toEqual([
      expect.objectContaining({
        summary: 'API token updated',
        author: { username: 'jdoe', displayName: 'John Doe' },
        affectedObjects: [
          { type: 'user', id: 'U3', name: 'jdoe' },
          { type: 'token', id: 'tok_report', name: 'Reporting dashboard' },
        ],
        changedValues: [
          { field: 'Expires', from: '2026-12-01T00:00:00.000Z', to: inDays(90) },
          { field: 'IP restrictions', from: '(none)', to: '10.0.0.0/8, 2001:db8::1' },
        ],
        details: expect.objectContaining({
          tokenId: 'tok_report',
          endpoint: `${BASE_PATH}/tokens/tok_report`,
        }),
      }),
    ]);
    // The new restriction applies at once.
    const restricted = backendWith({ as: 'jdoe' });
    await edit(restricted, 'tok_ci', { ipRestrictions: ['192.0.2.0/24'] });
    expect((await restMyself(restricted, bearer(SECRETS.ci), '198.51.100.7')).status).toBe(401);
    expect((await restMyself(restricted, bearer(SECRETS.ci), '192.0.2.9')).status).toBe(200);
  });

  it('makes a token never expire where the policy allows it, and shortens it to expire', async () => {
    const backend = backendWith({ as: 'jdoe', policy: { maxValidity: { unit: 'never' } } });
    expect((await edit(backend, 'tok_report', { expiresAt: null })).status).toBe(200);
    expect((await backend.store.getToken('tok_report'))?.expiresAt).toBeNull();
    expect((await edit(backend, 'tok_ci', { expiresAt: inDays(-1) })).status).toBe(422);
  });

  it.each([
    { name: 'never, when the policy says 12 months', body: { expiresAt: null }, field: 'expiresAt' },
    { name: 'beyond the policy', body: { expiresAt: inDays(400) }, field: 'expiresAt' },
    { name: 'in the past', body: { expiresAt: inDays(-1) }, field: 'expiresAt' },
    { name: 'an invalid IP entry', body: { ipRestrictions: ['10.0.0.300'] }, field: 'ipRestrictions.0' },
    {
      name: 'a duplicate IP entry',
      body: { ipRestrictions: ['2001:db8::1', '2001:DB8::1'] },
      field: 'ipRestrictions.1',
    },
    { name: 'nothing to change', body: {}, field: '_' },
    { name: 'a scope (not editable)', body: { scope: 'READ_ONLY' }, field: '_' },
  ])('refuses $name with 422 and changes nothing', async ({ body, field }) => {
    const backend = backendWith({ as: 'jdoe' });
    const response = await edit(backend, 'tok_report', body);
    expect(response.status).toBe(422);
    expect(Object.keys(await errorsOf(response))).toEqual([field]);
    expect(await backend.store.getToken('tok_report')).toEqual(TOKENS.reporting);
    expect(await auditRecords(backend)).toEqual([]);
  });

  it('keeps an expiry the policy no longer allows when other fields change', async () => {
    // tok_ci never expires; the policy now says 12 months.
    const backend = backendWith({ as: 'jdoe' });
    const response = await edit(backend, 'tok_ci', { expiresAt: null, description: 'Still forever' });
    expect(response.status).toBe(200);
    expect(await backend.store.getToken('tok_ci')).toMatchObject({
      expiresAt: null,
      description: 'Still forever',
    });
  });

  it('writes no record when nothing changes', async () => {
    const backend = backendWith({ as: 'jdoe' });
    const body = { description: 'CI pipeline', expiresAt: null, ipRestrictions: [] };
    expect((await edit(backend, 'tok_ci', body)).status).toBe(200);
    expect(await auditRecords(backend)).toEqual([]);
  });

  it('needs the right to create tokens to change the expiry of an own token (not the description)', async () => {
    const backend = backendWith({
      as: 'jdoe',
      permissions: { createTokens: { everyone: false, groups: [] } },
    });
    const response = await edit(backend, 'tok_report', { expiresAt: inDays(30) });
    expect(response.status).toBe(403);
    expect(await backend.store.getToken('tok_report')).toEqual(TOKENS.reporting);
    expect((await edit(backend, 'tok_report', { description: 'Renamed' })).status).toBe(200);
  });
});
