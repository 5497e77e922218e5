import { describe, expect, it } from 'vitest';
import { BASE_PATH } from '../../contract/api';
import { DEFAULT_SETTINGS, type SettingsInput } from '../../contract/settings';
import { createTestBackend, TEST_NOW } from '../test/harness';

const BASIC_REASON =
  'Available only while basic authentication with regular passwords is disabled: while passwords are allowed, a wrong token may still be a valid password.';

/** The default settings with some authentication and audit logging values changed. */
function settingsWith(
  authentication: Partial<SettingsInput['authentication']> = {},
  auditLogging: Partial<SettingsInput['auditLogging']> = {},
): SettingsInput {
  return {
    ...DEFAULT_SETTINGS,
    authentication: { ...DEFAULT_SETTINGS.authentication, ...authentication },
    auditLogging: { ...DEFAULT_SETTINGS.auditLogging, ...auditLogging },
  };
}

type Backend = ReturnType<typeof createTestBackend>;

const putSettings = (backend: Backend, body: unknown, ifMatch?: string) =>
  backend.json('PUT', '/settings', body, ifMatch === undefined ? {} : { 'if-match': ifMatch });

const auditRecords = async (backend: Backend) => (await backend.store.listAuditRecords({ limit: 100 })).items;

/** Asserts that a refused save left the settings and the audit log as they were. */
async function expectNothingSaved(backend: Backend, version = 1) {
  expect(await backend.store.getSettings()).toMatchObject({ ...DEFAULT_SETTINGS, version });
  expect(await auditRecords(backend)).toEqual([]);
}

describe('GET /settings', () => {
  it('answers the defaults of a new installation, version 1, with ETag "settings-v1"', async () => {
    const backend = createTestBackend();
    const response = await backend.call('/settings');
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"settings-v1"');
    expect(await response.json()).toEqual({
      ...DEFAULT_SETTINGS,
      version: 1,
      updatedAt: null,
      updatedBy: null,
    });
  });

  it.each([
    { as: 'admin', status: 200 },
    { as: 'auditor', status: 200 },
    { as: 'jdoe', status: 403 },
    { as: null, status: 401 },
  ])('answers $as with $status', async ({ as, status }) => {
    const response = await createTestBackend({ as }).call('/settings');
    expect(response.status).toBe(status);
  });
});

describe('PUT /settings', () => {
  it('saves a change, bumps the version and answers the new ETag', async () => {
    const backend = createTestBackend();
    const body = settingsWith({ disableBasicAuthWithPasswords: true });
    const response = await putSettings(backend, body, '"settings-v1"');
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"settings-v2"');
    expect(await response.json()).toEqual({
      ...body,
      version: 2,
      updatedAt: TEST_NOW.toISOString(),
      updatedBy: 'admin',
    });
    expect(await backend.store.getSettings()).toMatchObject({ ...body, version: 2 });

    const again = await backend.call('/settings');
    expect(again.headers.get('etag')).toBe('"settings-v2"');
  });

  it('writes one "Settings changed" audit record with the old and new values', async () => {
    const backend = createTestBackend();
    await putSettings(backend, settingsWith({ disableBasicAuthWithPasswords: true }), '"settings-v1"');
    const records = await auditRecords(backend);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      timestamp: TEST_NOW.toISOString(),
      summary: 'Settings changed',
      author: { username: 'admin', displayName: 'Alice Admin' },
      category: 'API Token Authentication',
      affectedObjects: [
        { type: 'settings', id: 'api-token-authentication', name: 'API Token Authentication settings' },
      ],
      changedValues: [
        { field: 'Disable basic authentication with regular passwords', from: 'Off', to: 'On' },
      ],
      source: { clientIp: '203.0.113.10', nodeId: 'node-1', method: 'PUT' },
      details: { endpoint: `${BASE_PATH}/settings` },
    });
  });

  it('records every changed field, in the order of the tabs', async () => {
    const backend = createTestBackend();
    const body = settingsWith(
      {
        ipRestrictions: ['10.0.0.0/8', '2001:db8::/32'],
        rateLimit: { enabled: true, requestsPerMinute: 120, burst: 10 },
      },
      { successfulAuthentication: true, retentionDays: 30 },
    );
    expect((await putSettings(backend, body, '"settings-v1"')).status).toBe(200);
    expect((await auditRecords(backend))[0]?.changedValues).toEqual([
      { field: 'Global IP restrictions', from: '(none)', to: '10.0.0.0/8, 2001:db8::/32' },
      { field: 'Rate limiting', from: 'Off', to: 'On' },
      { field: 'Requests per minute', from: '600', to: '120' },
      { field: 'Burst', from: '100', to: '10' },
      { field: 'Successful Authentication', from: 'Off', to: 'On' },
      { field: 'Audit record retention (days)', from: '90', to: '30' },
    ]);
  });

  it('writes no audit record for a save that changes nothing', async () => {
    const backend = createTestBackend();
    const response = await putSettings(backend, DEFAULT_SETTINGS, '"settings-v1"');
    expect(response.status).toBe(200);
    expect(await auditRecords(backend)).toEqual([]);
  });

  it('answers 428 without If-Match, and saves nothing', async () => {
    const backend = createTestBackend();
    const response = await putSettings(backend, settingsWith({ disableBasicAuthWithPasswords: true }));
    expect(response.status).toBe(428);
    expect(await response.json()).toMatchObject({ status: 428, title: 'Precondition Required' });
    await expectNothingSaved(backend);
  });

  it.each(['"settings-v7"', '"settings-v0"', 'W/"settings-v1"'])(
    'answers 412 for the stale or unknown If-Match %s, and saves nothing',
    async (ifMatch) => {
      const backend = createTestBackend();
      const response = await putSettings(
        backend,
        settingsWith({ disableBasicAuthWithPasswords: true }),
        ifMatch,
      );
      expect(response.status).toBe(412);
      expect(await response.json()).toMatchObject({ status: 412, title: 'Precondition Failed' });
      await expectNothingSaved(backend);
    },
  );

  it('answers 412 to the second of two saves from the same version', async () => {
    const backend = createTestBackend();
    const first = await putSettings(
      backend,
      settingsWith({ disableBasicAuthWithPasswords: true }),
      '"settings-v1"',
    );
    expect(first.status).toBe(200);
    const second = await putSettings(
      backend,
      settingsWith({ disableBearerWithOtherAuthenticators: true }),
      '"settings-v1"',
    );
    expect(second.status).toBe(412);
    expect(await backend.store.getSettings()).toMatchObject({
      version: 2,
      authentication: { disableBasicAuthWithPasswords: true, disableBearerWithOtherAuthenticators: false },
    });
    expect(await auditRecords(backend)).toHaveLength(1);
  });

  it('answers 422 with field errors for invalid values, and saves nothing', async () => {
    const backend = createTestBackend();
    const body = settingsWith({
      ipRestrictions: ['10.0.0.5/8', '192.168.0.0/16'],
      rateLimit: { enabled: true, requestsPerMinute: 0, burst: 10 },
    });
    const response = await putSettings(backend, body, '"settings-v1"');
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: Record<string, string> };
    expect(problem.errors).toEqual({
      'authentication.ipRestrictions.0': 'Not the start of a range: did you mean 10.0.0.0/8?',
      'authentication.rateLimit.requestsPerMinute': 'Requests per minute must be at least 1.',
    });
    await expectNothingSaved(backend);
  });

  it('answers 422 for a duplicate IP restriction', async () => {
    const backend = createTestBackend();
    const body = settingsWith({ ipRestrictions: ['10.0.0.0/8', '10.0.0.0/8'] });
    const response = await putSettings(backend, body, '"settings-v1"');
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      errors: { 'authentication.ipRestrictions.1': '10.0.0.0/8 is listed twice.' },
    });
    await expectNothingSaved(backend);
  });

  it('refuses to turn on failed basic attempts while passwords are allowed, and saves nothing', async () => {
    const backend = createTestBackend();
    const body = settingsWith({}, { failedBasicAttempts: true, successfulAuthentication: true });
    const response = await putSettings(backend, body, '"settings-v1"');
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      errors: { 'auditLogging.failedBasicAttempts': `Cannot be turned on. ${BASIC_REASON}` },
    });
    await expectNothingSaved(backend);
  });

  it('turns failed basic attempts off in the same save that allows passwords again', async () => {
    const backend = createTestBackend({
      settings: settingsWith({ disableBasicAuthWithPasswords: true }, { failedBasicAttempts: true }),
    });
    const current = await backend.call('/settings');
    const etag = current.headers.get('etag') ?? '';
    expect(etag).toBe('"settings-v2"');

    const body = settingsWith({ disableBasicAuthWithPasswords: false }, { failedBasicAttempts: true });
    const response = await putSettings(backend, body, etag);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      version: 3,
      authentication: { disableBasicAuthWithPasswords: false },
      auditLogging: { failedBasicAttempts: false },
    });
    expect((await backend.store.getSettings()).auditLogging.failedBasicAttempts).toBe(false);
    const records = await auditRecords(backend);
    expect(records).toHaveLength(1);
    expect(records[0]?.changedValues).toEqual([
      { field: 'Disable basic authentication with regular passwords', from: 'On', to: 'Off' },
      { field: 'Audit-log failed API token basic authentication attempts', from: 'On', to: 'Off' },
    ]);
  });

  it.each([
    { as: 'auditor', status: 403 },
    { as: 'jdoe', status: 403 },
    { as: null, status: 401 },
  ])('answers $as with $status, and saves nothing', async ({ as, status }) => {
    const backend = createTestBackend({ as });
    const response = await putSettings(
      backend,
      settingsWith({ disableBasicAuthWithPasswords: true }),
      '"settings-v1"',
    );
    expect(response.status).toBe(status);
    await expectNothingSaved(backend);
  });
});
