/**
 * Real clients against the real server: python-jira (Debian's python3-jira, run with /usr/bin/python3)
 * with its defaults, and the vendor's token API at curl level (plain fetch), against `server/main.ts`
 * started as a child process on a fresh database, SQLite and PostgreSQL.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Version2Client } from 'jira.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_PATH } from '../contract/api';
import type { Settings } from '../contract/settings';
import type { CreatedToken, Token, TokenPage } from '../contract/tokens';
import { VENDOR_TOKEN_API_PATH, type VendorCreatedToken } from '../contract/vendor-tokens';
import { signInAdmin, startChildServer, type ChildServer } from './test/child-server';
import { DATABASES } from './test/harness';
import { createTestDatabase } from './test/postgres';

const PYTHON = '/usr/bin/python3';
const PASSWORDS = {
  ATC_ADMIN_PASSWORD: 'clients-admin-pw',
  ATC_AUDITOR_PASSWORD: 'clients-auditor-pw',
  ATC_USER_PASSWORD: 'clients-user-pw',
};
const run = promisify(execFile);

let server: ChildServer;
/** The admin's console session: cookie and CSRF header. */
let session: Record<string, string>;

/** A console API call as the signed-in administrator. */
async function asAdmin(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.base}${BASE_PATH}${path}`, {
    method,
    headers: { ...session, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function newToken(description: string, scope: 'READ_ONLY' | 'READ_WRITE'): Promise<string> {
  const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const response = await asAdmin('POST', '/tokens', { description, scope, expiresAt, ipRestrictions: [] });
  expect(response.status).toBe(201);
  return ((await response.json()) as CreatedToken).secret;
}

/** Runs a scenario of python-jira-client.py; the secrets go in its environment, never its arguments. */
async function pythonJira(scenario: string, env: Record<string, string>): Promise<Record<string, unknown>> {
  try {
    await run(PYTHON, ['-c', 'import jira']);
  } catch {
    throw new Error(
      `python-jira is not installed for ${PYTHON}: install Debian's python3-jira (apt-get install python3-jira; .ci/run does).`,
    );
  }
  const { stdout } = await run(PYTHON, [join('server', 'test', 'python-jira-client.py'), scenario], {
    env: { ...process.env, ATC_SERVER: server.base, ATC_USER: 'admin', ...env },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe.each(DATABASES)('on %s', (database) => {
  beforeAll(async () => {
    server = await startChildServer(
      PASSWORDS,
      database === 'PostgreSQL' ? await createTestDatabase() : undefined,
    );
    session = await signInAdmin(server.base, PASSWORDS.ATC_ADMIN_PASSWORD);
  }, 60_000);
  afterAll(() => server?.stop());

  describe("the vendor's token API at curl level", () => {
    it('creates and renames tokens with a password, lists, filters and revokes them with a token, as a script would', async () => {
      const admin = await newToken('token admin script', 'READ_WRITE');
      const password = `Basic ${Buffer.from(`admin:${PASSWORDS.ATC_ADMIN_PASSWORD}`).toString('base64')}`;
      const vendor = (method: string, path: string, body?: unknown, authorization = `Bearer ${admin}`) =>
        fetch(`${server.base}${VENDOR_TOKEN_API_PATH}${path}`, {
          method,
          headers: { authorization, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const request = {
        tokenDescription: 'Made by a script',
        tokenValidityTimeInMonths: 1,
        tokenScope: 1,
        tokenForUserKey: 'user',
      };

      // A token cannot make tokens (it could make a broader one: docs/decisions/0010): the password can.
      const withToken = await vendor('POST', '/user/token', request);
      expect(withToken.status).toBe(403);
      expect(await withToken.json()).toMatchObject({
        errorMessages: [expect.stringContaining('An API token cannot create or change tokens')],
      });
      const created = await vendor('POST', '/user/token', request, password);
      expect(created.status).toBe(201);
      const token = (await created.json()) as VendorCreatedToken;
      expect(token).toMatchObject({ ownerUsername: 'user', createdBy: 'admin', scope: 'READ_ONLY' });
      const asUser = await fetch(`${server.base}/rest/api/2/myself`, {
        headers: { authorization: `Bearer ${token.plainTextToken}` },
      });
      expect(((await asUser.json()) as { name: string }).name).toBe('user');

      const own = (await (await vendor('GET', '/user/token')).json()) as Token[];
      expect(own.map((t) => t.description)).toContain('token admin script');
      expect(own.map((t) => t.id)).not.toContain(token.id);
      const filtered = await vendor(
        'GET',
        '/tokensByFilter?userFilter=user&tokenScope=1&descriptionFilter=script',
      );
      expect(((await filtered.json()) as TokenPage).tokens.map((t) => t.id)).toEqual([token.id]);

      expect((await vendor('PATCH', `/user/token/${token.id}`, { tokenDescription: 'Renamed' })).status).toBe(
        403,
      );
      const renamed = await vendor(
        'PATCH',
        `/user/token/${token.id}`,
        { tokenDescription: 'Renamed' },
        password,
      );
      expect(((await renamed.json()) as Token).description).toBe('Renamed');
      expect((await vendor('DELETE', `/user/token/${token.id}`)).status).toBe(204);
      const revoked = await fetch(`${server.base}/rest/api/2/myself`, {
        headers: { authorization: `Bearer ${token.plainTextToken}` },
      });
      expect(revoked.status).toBe(401);
    });
  });

  describe('jira.js with its defaults', () => {
    it('reads the server and myself, creates an issue and reads it back, and reads the errors', async () => {
      const token = await newToken('jira.js', 'READ_WRITE');
      const client = (apiToken: string) =>
        new Version2Client({ host: server.base, authentication: { basic: { email: 'admin', apiToken } } });
      const jira = client(token);
      expect((await jira.serverInfo.getServerInfo()).deploymentType).toBe('DataCenter');
      expect((await jira.myself.getCurrentUser()).name).toBe('admin');
      const created = await jira.issues.createIssue({
        fields: { project: { key: 'DEMO' }, issuetype: { name: 'Bug' }, summary: 'Created by jira.js' },
      });
      const issue = await jira.issues.getIssue({ issueIdOrKey: created.key });
      expect(issue.fields.summary).toBe('Created by jira.js');
      // jira.js's HttpException carries the answer: Jira's errorMessages are there to print.
      await expect(client('atc_not-a-token').myself.getCurrentUser()).rejects.toMatchObject({
        status: 401,
        response: { data: { errorMessages: ['The credentials are not valid.'] } },
      });
    });
  });

  describe('python-jira with its defaults', () => {
    it('constructs, reads myself, creates an issue and reads it back, and reads the errors', async () => {
      const results = await pythonJira('clients', {
        ATC_TOKEN: await newToken('python-jira', 'READ_WRITE'),
        ATC_READ_ONLY_TOKEN: await newToken('python-jira read only', 'READ_ONLY'),
      });
      expect(results).toEqual({
        construct: { value: { deploymentType: 'DataCenter', serverTitle: 'API Token Console' } },
        myself: { value: 'admin' },
        createIssue: {
          value: {
            key: expect.stringMatching(/^DEMO-\d+$/),
            summary: 'Created by python-jira',
            reporter: 'admin',
            readBack: 'Created by python-jira',
          },
        },
        fields: { value: ['created', 'creator', 'description'] },
        latest: { value: 'admin' },
        // JIRAError.text: what the server said, readable.
        wrongToken: { status: 401, text: 'The credentials are not valid.' },
        readOnlyWrite: {
          status: 403,
          text: 'This token has Read Only scope: it cannot be used for this request.',
        },
      });
    }, 60_000);

    it('when rate limited, retries as python-jira does and raises a readable JIRAError (no crash)', async () => {
      const token = await newToken('python-jira rate limited', 'READ_WRITE');
      const current = await asAdmin('GET', '/settings');
      const { version: _v, updatedAt: _a, updatedBy: _b, ...settings } = (await current.json()) as Settings;
      // Two requests at once (the constructor's serverInfo and one myself), then one a minute.
      settings.authentication.rateLimit = { enabled: true, requestsPerMinute: 1, burst: 2 };
      const saved = await asAdmin('PUT', '/settings', settings, { 'if-match': current.headers.get('etag')! });
      expect(saved.status).toBe(200);

      const results = await pythonJira('rate-limited', { ATC_TOKEN: token });
      expect(results.first).toEqual({ value: 'admin' });
      expect(results.limited).toEqual({ status: 429, text: 'Rate limit exceeded. Try again later.' });
      // python-jira read Jira's rate-limit headers and retried once.
      expect(results.warnings).toEqual([
        expect.stringContaining(
          'Request rate limited by Jira: request should be retried after 60 seconds.\n1 tokens are issued every 60 seconds. You can accumulate up to 2 tokens.',
        ),
        expect.stringMatching(
          /^Got recoverable error from GET .*\/rest\/api\/2\/myself, will retry \[1\/1\]/,
        ),
      ]);
    }, 60_000);
  });
});
