import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../contract/audit';
import { DEFAULT_SETTINGS, type SettingsInput } from '../../contract/settings';
import { generateSecret, hashSecret } from '../auth/secrets';
import { fixtureData, fixtureToken } from '../test/fixtures';
import { basic, bearer, createTestBackend, TEST_NOW, TEST_PASSWORD } from '../test/harness';

/**
 * "The policy shown is the policy enforced": for every setting of the Settings page, what the engine
 * or the API does with one value and with another. A setting without a row here fails the first test.
 */

const SECRETS = { readWrite: generateSecret(), readOnly: generateSecret() };
const DAY = 86_400_000;

function dataSet() {
  return {
    ...fixtureData(),
    tokens: [
      fixtureToken({ id: 'tok_rw', secretHash: hashSecret(SECRETS.readWrite), description: 'CI pipeline' }),
      fixtureToken({
        id: 'tok_ro',
        secretHash: hashSecret(SECRETS.readOnly),
        description: 'Reporting',
        scope: 'READ_ONLY',
        // Expires in 10 days.
        expiresAt: new Date(TEST_NOW.getTime() + 10 * DAY).toISOString(),
      }),
    ],
    auditRecords: [oldRecord],
    loggers: [{ name: 'de.resolution.apitokenauth', configuredLevel: 'INFO' as const }],
  };
}

/** A record 10 days old: what the retention period keeps or purges. */
const oldRecord: AuditRecord = {
  id: 'ar-000000001',
  timestamp: new Date(TEST_NOW.getTime() - 10 * DAY).toISOString(),
  author: { username: 'admin', displayName: 'Alice Admin' },
  category: 'API Token Authentication',
  summary: 'API token created',
  affectedObjects: [],
  changedValues: [],
  source: { clientIp: '203.0.113.10', proxyIp: null, nodeId: 'node-1', method: 'POST' },
  details: {},
};

/** A backend whose settings are the defaults with `change` applied, signed in to the console as `as`. */
function backendWith(
  change: (settings: SettingsInput) => void,
  options: { as?: string; now?: () => Date } = {},
) {
  const settings = structuredClone(DEFAULT_SETTINGS);
  change(settings);
  return createTestBackend({ data: dataSet(), settings, as: options.as ?? 'jdoe', now: options.now });
}
type Backend = ReturnType<typeof backendWith>;

const get = (backend: Backend, authorization: string, ip = '203.0.113.10') =>
  backend.app.request('/rest/api/2/myself', { headers: { authorization, 'x-test-client-ip': ip } });
/** Creates an issue (a write) through the Jira-shaped REST surface. */
const post = (backend: Backend, authorization: string) =>
  backend.app.request('/rest/api/2/issue', {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({
      fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'A write' },
    }),
  });
const statuses = async (requests: (() => Response | Promise<Response>)[]) => {
  const result: number[] = [];
  for (const request of requests) result.push((await request()).status);
  return result;
};
const createToken = (backend: Backend, fields: Record<string, unknown> = {}) =>
  backend.json('POST', '/tokens', {
    description: 'New token',
    scope: 'READ_WRITE',
    expiresAt: new Date(TEST_NOW.getTime() + 30 * DAY).toISOString(),
    ipRestrictions: [],
    ...fields,
  });
const summaries = async (backend: Backend) =>
  (await backend.store.listAuditRecords({ limit: 100 })).items.map((r) => r.summary);
const messages = async (backend: Backend) =>
  (await backend.store.listLogEntries({ limit: 100 })).items.map((e) => e.message);

interface Enforced {
  setting: string;
  does: string;
  check: () => Promise<void>;
}

const ENFORCED: Enforced[] = [
  // ---- Authentication
  {
    setting: 'authentication.disableBasicAuthWithPasswords',
    does: 'a regular password over Basic authenticates while it is off, and is refused once it is on',
    async check() {
      const password = basic('jdoe', TEST_PASSWORD);
      expect(
        (
          await get(
            backendWith(() => {}),
            password,
          )
        ).status,
      ).toBe(200);
      const disabled = backendWith((s) => void (s.authentication.disableBasicAuthWithPasswords = true));
      expect((await get(disabled, password)).status).toBe(401);
    },
  },
  {
    setting: 'authentication.disableBearerWithOtherAuthenticators',
    does: 'an unknown bearer token is passed on while it is off, and refused by the engine once it is on',
    async check() {
      const open = backendWith(() => {});
      await get(open, bearer(generateSecret()));
      expect((await messages(open))[0]).toMatch(
        /^A bearer token did not match any API token\. Passing the request/,
      );
      const disabled = backendWith(
        (s) => void (s.authentication.disableBearerWithOtherAuthenticators = true),
      );
      await get(disabled, bearer(generateSecret()));
      expect((await messages(disabled))[0]).toMatch(
        /^Token verification failed: No valid API token was provided/,
      );
    },
  },
  {
    setting: 'authentication.ipRestrictions',
    does: 'a token is refused from outside the global IP restrictions and accepted from inside',
    async check() {
      const restricted = backendWith((s) => void (s.authentication.ipRestrictions = ['10.0.0.0/8']));
      expect((await get(restricted, bearer(SECRETS.readWrite), '203.0.113.10')).status).toBe(401);
      expect((await get(restricted, bearer(SECRETS.readWrite), '10.1.2.3')).status).toBe(200);
      expect(
        (
          await get(
            backendWith(() => {}),
            bearer(SECRETS.readWrite),
            '203.0.113.10',
          )
        ).status,
      ).toBe(200);
    },
  },
  {
    setting: 'authentication.rateLimit.enabled',
    does: 'requests beyond the burst are answered 429 only while it is on',
    async check() {
      const limit = (enabled: boolean) =>
        backendWith((s) => void (s.authentication.rateLimit = { enabled, requestsPerMinute: 6, burst: 1 }));
      const token = bearer(SECRETS.readWrite);
      const on = limit(true);
      expect(await statuses([() => get(on, token), () => get(on, token)])).toEqual([200, 429]);
      const off = limit(false);
      expect(await statuses([() => get(off, token), () => get(off, token)])).toEqual([200, 200]);
    },
  },
  {
    setting: 'authentication.rateLimit.requestsPerMinute',
    does: 'how fast the bucket refills: 60 a minute lets a request through a second later, 6 a minute does not',
    async check() {
      const token = bearer(SECRETS.readWrite);
      for (const [requestsPerMinute, second] of [
        [60, 200],
        [6, 429],
      ] as const) {
        let now = TEST_NOW.getTime();
        const backend = backendWith(
          (s) => void (s.authentication.rateLimit = { enabled: true, requestsPerMinute, burst: 1 }),
          { now: () => new Date(now) },
        );
        expect((await get(backend, token)).status).toBe(200);
        now += 1_000;
        expect((await get(backend, token)).status).toBe(second);
      }
    },
  },
  {
    setting: 'authentication.rateLimit.burst',
    does: 'how many requests may arrive at once',
    async check() {
      const token = bearer(SECRETS.readWrite);
      const burst = (n: number) =>
        backendWith(
          (s) => void (s.authentication.rateLimit = { enabled: true, requestsPerMinute: 6, burst: n }),
        );
      const three = burst(3);
      expect(await statuses([1, 2, 3, 4].map(() => () => get(three, token)))).toEqual([200, 200, 200, 429]);
      const one = burst(1);
      expect(await statuses([1, 2].map(() => () => get(one, token)))).toEqual([200, 429]);
    },
  },

  // ---- Token policy
  {
    setting: 'authentication.tokenPolicy.maxValidity.unit',
    does: 'a token that never expires may be created only while the maximum validity is "never"',
    async check() {
      const never = backendWith((s) => void (s.authentication.tokenPolicy.maxValidity = { unit: 'never' }));
      expect((await createToken(never, { expiresAt: null })).status).toBe(201);
      expect(
        (
          await createToken(
            backendWith(() => {}),
            { expiresAt: null },
          )
        ).status,
      ).toBe(422);
    },
  },
  {
    setting: 'authentication.tokenPolicy.maxValidity.value',
    does: 'an expiry in 40 days is refused under a 1-month maximum and accepted under 2 months',
    async check() {
      const months = (value: number) =>
        backendWith((s) => void (s.authentication.tokenPolicy.maxValidity = { unit: 'months', value }));
      const expiresAt = new Date(TEST_NOW.getTime() + 40 * DAY).toISOString();
      expect((await createToken(months(1), { expiresAt })).status).toBe(422);
      expect((await createToken(months(2), { expiresAt })).status).toBe(201);
    },
  },
  {
    setting: 'authentication.tokenPolicy.forceReadOnlyForRegularUsers',
    does: 'a regular user may create a Read & Write token only while it is off (administrators always)',
    async check() {
      const force = (on: boolean, as: string) =>
        backendWith((s) => void (s.authentication.tokenPolicy.forceReadOnlyForRegularUsers = on), { as });
      expect((await createToken(force(true, 'jdoe'))).status).toBe(422);
      expect((await createToken(force(true, 'jdoe'), { scope: 'READ_ONLY' })).status).toBe(201);
      expect((await createToken(force(false, 'jdoe'))).status).toBe(201);
      expect((await createToken(force(true, 'admin'))).status).toBe(201);
    },
  },
  {
    setting: 'authentication.tokenPolicy.expiryWarningDays',
    does: 'a token expiring in 10 days is "expiring soon" with a 14-day warning and not with a 7-day one',
    async check() {
      for (const [days, expiring] of [
        [14, 1],
        [7, 0],
      ] as const) {
        const backend = backendWith((s) => void (s.authentication.tokenPolicy.expiryWarningDays = days));
        const page = (await (await backend.call('/tokens?status=expiring')).json()) as { total: number };
        expect(page.total).toBe(expiring);
      }
    },
  },

  // ---- Permissions
  {
    setting: 'permissions.useTokens.everyone',
    does: "a user's token authenticates while everyone may use tokens, and is refused (401) once only chosen groups may",
    async check() {
      const everyone = (on: boolean) =>
        backendWith(
          (s) => void (s.permissions.useTokens = { everyone: on, groups: ['jira-administrators'] }),
        );
      expect((await get(everyone(true), bearer(SECRETS.readWrite))).status).toBe(200);
      expect((await post(everyone(true), bearer(SECRETS.readWrite))).status).toBe(201);
      expect((await get(everyone(false), bearer(SECRETS.readWrite))).status).toBe(401);
      expect((await post(everyone(false), bearer(SECRETS.readWrite))).status).toBe(401);
      // …and the console agrees: no "My API Tokens" for them.
      expect((await everyone(false).call('/tokens')).status).toBe(403);
    },
  },
  {
    setting: 'permissions.useTokens.groups',
    does: "a user's token authenticates only while one of their groups is chosen",
    async check() {
      const groups = (...chosen: string[]) =>
        backendWith((s) => void (s.permissions.useTokens = { everyone: false, groups: chosen }));
      expect((await get(groups('jira-software-users'), basic('jdoe', SECRETS.readWrite))).status).toBe(200);
      expect((await get(groups('auditors'), basic('jdoe', SECRETS.readWrite))).status).toBe(401);
    },
  },
  {
    setting: 'permissions.createTokens.everyone',
    does: 'a user may create tokens while everyone may, and not once only chosen groups may',
    async check() {
      const everyone = (on: boolean) =>
        backendWith(
          (s) => void (s.permissions.createTokens = { everyone: on, groups: ['jira-administrators'] }),
        );
      expect((await createToken(everyone(true))).status).toBe(201);
      expect((await createToken(everyone(false))).status).toBe(403);
    },
  },
  {
    setting: 'permissions.createTokens.groups',
    does: 'a user may create tokens only while one of their groups is chosen',
    async check() {
      const groups = (...chosen: string[]) =>
        backendWith((s) => void (s.permissions.createTokens = { everyone: false, groups: chosen }));
      expect((await createToken(groups('jira-software-users'))).status).toBe(201);
      expect((await createToken(groups('auditors'))).status).toBe(403);
    },
  },
  {
    setting: 'permissions.manageOthersTokens.groups',
    does: "only members of the chosen groups see and revoke other users' tokens",
    async check() {
      const groups = (...chosen: string[]) =>
        backendWith((s) => void (s.permissions.manageOthersTokens = { groups: chosen }), { as: 'admin' });
      expect((await groups('jira-administrators').call('/tokens?all=true')).status).toBe(200);
      expect((await groups('auditors').call('/tokens?all=true')).status).toBe(403);
      expect((await groups('auditors').call('/tokens/tok_rw', { method: 'DELETE' })).status).toBe(404);
      expect((await groups('jira-administrators').call('/tokens/tok_rw', { method: 'DELETE' })).status).toBe(
        204,
      );
    },
  },

  // ---- Audit Logging
  {
    setting: 'auditLogging.successfulAuthentication',
    does: 'a successful authentication is recorded only while it is on',
    async check() {
      const option = (on: boolean) => backendWith((s) => void (s.auditLogging.successfulAuthentication = on));
      const on = option(true);
      await get(on, bearer(SECRETS.readWrite));
      expect(await summaries(on)).toContain('Successful authentication');
      const off = option(false);
      await get(off, bearer(SECRETS.readWrite));
      expect(await summaries(off)).not.toContain('Successful authentication');
    },
  },
  {
    setting: 'auditLogging.failedBasicAttempts',
    does: 'a wrong token over Basic (passwords disabled) is recorded only while it is on',
    async check() {
      const option = (on: boolean) =>
        backendWith((s) => {
          s.authentication.disableBasicAuthWithPasswords = true;
          s.auditLogging.failedBasicAttempts = on;
        });
      const on = option(true);
      await get(on, basic('jdoe', generateSecret()));
      expect(await summaries(on)).toContain('Failed API token basic authentication attempt');
      const off = option(false);
      await get(off, basic('jdoe', generateSecret()));
      expect(await summaries(off)).not.toContain('Failed API token basic authentication attempt');
    },
  },
  {
    setting: 'auditLogging.failedBearerAttempts',
    does: 'a wrong bearer token (other authenticators disabled) is recorded only while it is on',
    async check() {
      const option = (on: boolean) =>
        backendWith((s) => {
          s.authentication.disableBearerWithOtherAuthenticators = true;
          s.auditLogging.failedBearerAttempts = on;
        });
      const on = option(true);
      await get(on, bearer(generateSecret()));
      expect(await summaries(on)).toContain('Failed API token bearer authentication attempt');
      const off = option(false);
      await get(off, bearer(generateSecret()));
      expect(await summaries(off)).not.toContain('Failed API token bearer authentication attempt');
    },
  },
  {
    setting: 'auditLogging.failedVerification',
    does: 'a request whose credentials fail token verification is recorded only while it is on',
    async check() {
      const option = (on: boolean) => backendWith((s) => void (s.auditLogging.failedVerification = on));
      const on = option(true);
      await get(on, basic('jdoe', 'not-a-token'));
      expect(await summaries(on)).toContain('Failed API token verification');
      const off = option(false);
      await get(off, basic('jdoe', 'not-a-token'));
      expect(await summaries(off)).not.toContain('Failed API token verification');
    },
  },
  {
    setting: 'auditLogging.permissionDenied',
    does: 'a write with a Read Only token is recorded only while it is on',
    async check() {
      const option = (on: boolean) => backendWith((s) => void (s.auditLogging.permissionDenied = on));
      const on = option(true);
      expect((await post(on, bearer(SECRETS.readOnly))).status).toBe(403);
      expect(await summaries(on)).toContain('Permission denied');
      const off = option(false);
      expect((await post(off, bearer(SECRETS.readOnly))).status).toBe(403);
      expect(await summaries(off)).not.toContain('Permission denied');
    },
  },
  {
    setting: 'auditLogging.retentionDays',
    does: 'a record 10 days old is kept with 30 days of retention and purged with 5',
    async check() {
      for (const [days, kept] of [
        [30, 1],
        [5, 0],
      ] as const) {
        const backend = backendWith((s) => void (s.auditLogging.retentionDays = days), { as: 'admin' });
        const page = (await (await backend.call('/audit/records')).json()) as { records: AuditRecord[] };
        expect(page.records.filter((r) => r.id === oldRecord.id)).toHaveLength(kept);
      }
    },
  },
];

/** The dotted paths of every leaf of the settings document (arrays are leaves). */
function leaves(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [path];
  return Object.entries(value).flatMap(([key, child]) => leaves(child, path ? `${path}.${key}` : key));
}

describe('every setting changes what the engine or the API does', () => {
  it('has a row for every setting of the Settings page', () => {
    expect(ENFORCED.map((e) => e.setting).sort()).toEqual(leaves(DEFAULT_SETTINGS).sort());
  });

  it.each(ENFORCED)('$setting: $does', async ({ check }) => {
    await check();
  });
});
