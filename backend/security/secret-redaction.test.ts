import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type SettingsInput } from '../../contract/settings';
import { generateSecret, hashSecret, REDACTED_SECRET } from '../auth/secrets';
import { fixtureData, fixtureToken } from '../test/fixtures';
import { basic, bearer, createTestBackend } from '../test/harness';

/**
 * A token secret sent in the wrong place (issue 15, item 4) never reaches a log line, an audit record
 * or an export: anything shaped like a secret is redacted, whatever field it is in.
 */

const SECRET = generateSecret();

function backendWith(change: (settings: SettingsInput) => void) {
  const settings = structuredClone(DEFAULT_SETTINGS);
  change(settings);
  return createTestBackend({
    data: {
      ...fixtureData(),
      tokens: [fixtureToken({ id: 'tok_ci', secretHash: hashSecret(SECRET), description: 'CI pipeline' })],
      loggers: [{ name: 'de.resolution.apitokenauth', configuredLevel: 'INFO' }],
    },
    settings,
  });
}
type Backend = ReturnType<typeof backendWith>;

/** Everything an auditor or an administrator can read of what the request left behind. */
async function everythingRecorded(backend: Backend): Promise<string> {
  const logs = (await backend.store.listLogEntries({ limit: 100 })).items;
  const records = (await backend.store.listAuditRecords({ limit: 100 })).items;
  const csv = await (await backend.call('/audit/export?format=csv')).text();
  const jsonl = await (await backend.call('/audit/export?format=jsonl')).text();
  const listed = await (await backend.call('/logging/entries')).text();
  return [JSON.stringify(logs), JSON.stringify(records), csv, jsonl, listed].join('\n');
}

describe('a token secret sent in the wrong place is redacted before it is logged, audited or exported', () => {
  it.each([
    { case: 'as the Basic username (curl -u "$TOKEN:")', authorization: basic(SECRET, '') },
    { case: 'as the Basic username, with a password', authorization: basic(SECRET, 'x') },
    { case: 'as the Basic username, shortened', authorization: basic(SECRET.slice(0, 20), '') },
    { case: 'inside a longer Basic username', authorization: basic(`me+${SECRET}@example.com`, '') },
  ])('$case', async ({ authorization }) => {
    const backend = backendWith((s) => void (s.auditLogging.failedVerification = true));
    const response = await backend.app.request('/rest/api/2/myself', { headers: { authorization } });
    expect(response.status).toBe(401);

    const [entry] = (await backend.store.listLogEntries({ limit: 1 })).items;
    expect(entry?.username).toContain(REDACTED_SECRET);
    expect(entry?.message).toContain(REDACTED_SECRET);
    const [record] = (await backend.store.listAuditRecords({ limit: 1 })).items;
    expect(record?.details.username).toContain(REDACTED_SECRET);
    const recorded = await everythingRecorded(backend);
    expect(recorded).not.toContain(SECRET.slice(0, 20));
  });

  it('in the path', async () => {
    const backend = backendWith((s) => {
      s.authentication.disableBearerWithOtherAuthenticators = true;
      s.auditLogging.failedBearerAttempts = true;
    });
    const response = await backend.app.request(`/rest/api/2/search/${SECRET}`, {
      headers: { authorization: bearer('wrong') },
    });
    expect(response.status).toBe(401);
    const [record] = (await backend.store.listAuditRecords({ limit: 1 })).items;
    expect(record?.details.endpoint).toBe(`/rest/api/2/search/${REDACTED_SECRET}`);
    expect((await backend.store.listLogEntries({ limit: 1 })).items[0]?.url).toBe(
      `/rest/api/2/search/${REDACTED_SECRET}`,
    );
    expect(await everythingRecorded(backend)).not.toContain(SECRET);
  });

  it('in a description: refused, next to the field', async () => {
    const backend = backendWith(() => {});
    const response = await backend.json('POST', '/tokens', {
      description: `backup of ${SECRET}`,
      scope: 'READ_ONLY',
      expiresAt: '2027-01-01T00:00:00.000Z',
      ipRestrictions: [],
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      errors: { description: 'Remove the token secret: a description is not secret.' },
    });
    expect(await everythingRecorded(backend)).not.toContain(SECRET);
  });

  it('leaves what only looks alike: the prefix with a few characters', async () => {
    const backend = backendWith((s) => void (s.auditLogging.failedVerification = true));
    await backend.app.request('/rest/api/2/myself', { headers: { authorization: basic('atc_jdoe', 'x') } });
    expect((await backend.store.listLogEntries({ limit: 1 })).items[0]?.username).toBe('atc_jdoe');
  });
});
