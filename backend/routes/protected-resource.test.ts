import { describe, expect, it } from 'vitest';
import { PROBLEM_CONTENT_TYPE, type Problem } from '../../contract/problem';
import type { Issue, Project } from '../../contract/jira';
import { generateSecret, hashSecret } from '../auth/secrets';
import { fixtureData, fixtureToken } from '../test/fixtures';
import { basic, bearer, createTestBackend, TEST_NOW } from '../test/harness';

const READ_WRITE = generateSecret();
const READ_ONLY = generateSecret();

/** Signed in to the console as `as` (default: nobody), with a Read & Write and a Read Only token of jdoe. */
function backend(as: string | null = null) {
  return createTestBackend({
    as,
    data: {
      ...fixtureData(),
      tokens: [
        fixtureToken({ id: 'T-RW', secretHash: hashSecret(READ_WRITE) }),
        fixtureToken({ id: 'T-RO', secretHash: hashSecret(READ_ONLY), scope: 'READ_ONLY' }),
      ],
    },
  });
}

type Backend = ReturnType<typeof backend>;

const rest = (b: Backend, path: string, init: RequestInit & { token?: string } = {}) => {
  const { token = READ_WRITE, ...rest } = init;
  return b.app.request(path, { ...rest, headers: { authorization: bearer(token), ...rest.headers } });
};
const createIssue = (b: Backend, fields: Record<string, unknown>, token = READ_WRITE) =>
  rest(b, '/rest/api/2/issue', {
    method: 'POST',
    token,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fields }),
  });
const TASK = { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Nightly build failed' };

describe('the Jira-shaped REST surface (/rest/api/2)', () => {
  it('tells anyone what it is, as Jira Data Center does (python-jira reads it when constructed)', async () => {
    const response = await backend().app.request('http://jira.example.com/rest/api/2/serverInfo');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      baseUrl: 'http://jira.example.com',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      versionNumbers: [expect.any(Number), expect.any(Number), expect.any(Number)],
      deploymentType: 'DataCenter',
      serverTime: TEST_NOW.toISOString(),
      serverTitle: 'API Token Console',
    });
  });

  it('answers /rest/api/latest as /rest/api/2', async () => {
    const b = backend();
    const latest = await rest(b, '/rest/api/latest/myself');
    expect(latest.status).toBe(200);
    expect(await latest.json()).toEqual(await (await rest(b, '/rest/api/2/myself')).json());
  });

  it('answers /myself as JSON whose self link names the address each request used', async () => {
    const b = backend();
    for (const host of ['http://jira.example.com', 'http://10.0.0.5:8080', 'http://jira.example.com']) {
      const response = await rest(b, `${host}/rest/api/2/myself`);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toMatchObject({
        self: `${host}/rest/api/2/user?username=jdoe`,
        name: 'jdoe',
        active: true,
      });
    }
  });

  it('creates an issue with Jira’s request and reads it back by key and by id', async () => {
    const b = backend();
    const created = await createIssue(b, { ...TASK, description: 'See the log.' });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({
      id: '10000',
      key: 'DEMO-1',
      self: 'http://localhost/rest/api/2/issue/10000',
    });

    const byKey = await rest(b, '/rest/api/2/issue/DEMO-1');
    expect(byKey.status).toBe(200);
    const issue = await byKey.json();
    expect(issue).toMatchObject({
      id: '10000',
      key: 'DEMO-1',
      fields: {
        summary: 'Nightly build failed',
        description: 'See the log.',
        issuetype: { id: '10001', name: 'Task' },
        project: { id: '10000', key: 'DEMO' },
        reporter: { name: 'jdoe', displayName: 'John Doe' },
        created: TEST_NOW.toISOString(),
        status: { name: 'Open' },
      },
    });
    expect(await (await rest(b, '/rest/api/latest/issue/10000', { token: READ_ONLY })).json()).toEqual(issue);
    expect(
      (await createIssue(b, { ...TASK, project: { id: '10000' }, issuetype: { id: '10002' } })).status,
    ).toBe(201);
    const bug = (await (await rest(b, '/rest/api/2/issue/DEMO-2')).json()) as Issue;
    expect(bug.fields.issuetype.name).toBe('Bug');
  });

  it('refuses an issue without what Jira requires, with the messages Jira clients print', async () => {
    const b = backend();
    const missing = await createIssue(b, { project: { key: 'DEMO' }, issuetype: { name: 'Task' } });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({
      errorMessages: ['Some values are not valid.'],
      errors: { 'fields.summary': expect.any(String) },
    });
    const unknown = await createIssue(b, { ...TASK, project: { key: 'NOPE' }, issuetype: { name: 'Epic' } });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as Problem).errors).toEqual({
      project: 'Specify a valid project ID or key.',
      issuetype: 'Specify a valid issue type.',
    });
    const none = await rest(b, '/rest/api/2/issue/DEMO-1');
    expect(none.status).toBe(404);
    expect(await none.json()).toMatchObject({ errorMessages: ['Issue Does Not Exist'] });
    expect(await b.store.findIssue('DEMO-1')).toBeUndefined();
  });

  it('refuses a write with a Read Only token: 403 with a message Jira clients print', async () => {
    const b = backend();
    const response = await createIssue(b, TASK, READ_ONLY);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      errorMessages: ['This token has Read Only scope: it cannot be used for this request.'],
    });
    expect(await b.store.findIssue('DEMO-1')).toBeUndefined();
  });

  it('says what the token may do (mypermissions), by its scope', async () => {
    const b = backend();
    const permissions = async (token: string) =>
      (
        (await (await rest(b, '/rest/api/2/mypermissions', { token })).json()) as {
          permissions: Record<string, { havePermission: boolean }>;
        }
      ).permissions;
    expect((await permissions(READ_WRITE)).CREATE_ISSUES?.havePermission).toBe(true);
    expect((await permissions(READ_ONLY)).CREATE_ISSUES?.havePermission).toBe(false);
    expect((await permissions(READ_ONLY)).BROWSE_PROJECTS?.havePermission).toBe(true);
  });

  it('lists its one project, its issue types and its fields', async () => {
    const b = backend();
    const projects = (await (await rest(b, '/rest/api/2/project')).json()) as Project[];
    expect(projects).toEqual([expect.objectContaining({ id: '10000', key: 'DEMO', name: 'Demo' })]);
    expect(await (await rest(b, '/rest/api/2/project/DEMO')).json()).toEqual(projects[0]);
    expect(await (await rest(b, '/rest/api/2/project/10000')).json()).toEqual(projects[0]);
    expect((await rest(b, '/rest/api/2/project/NOPE')).status).toBe(404);
    expect(projects[0]!.issueTypes.map((t) => t.name)).toEqual(['Task', 'Bug']);
    const fields = (await (await rest(b, '/rest/api/2/field')).json()) as {
      id: string;
      clauseNames: string[];
    }[];
    expect(fields.map((f) => f.id)).toContain('summary');
    for (const field of fields) expect(field.clauseNames).toContain(field.id);
  });

  it('names the authenticated user in X-AUSERNAME, as Jira does, and nobody otherwise', async () => {
    const b = backend();
    expect((await rest(b, '/rest/api/2/myself')).headers.get('x-ausername')).toBe('jdoe');
    expect((await b.app.request('/rest/api/2/serverInfo')).headers.get('x-ausername')).toBeNull();
  });

  it('refuses other credentials with 401, Jira’s login reason and a readable message', async () => {
    const b = backend();
    const wrong = await b.app.request('/rest/api/2/myself', {
      headers: { authorization: basic('jdoe', 'nope') },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
    // RFC 9110 §11.6.1: the schemes that would work.
    expect(wrong.headers.get('www-authenticate')).toBe(
      'Basic realm="API Token Console", charset="UTF-8", Bearer realm="API Token Console"',
    );
    expect(await wrong.json()).toMatchObject({ errorMessages: ['The credentials are not valid.'] });
    // The signed-in console session is not a REST client's credential.
    const session = await backend('admin').app.request('/rest/api/2/myself');
    expect(session.status).toBe(401);
    expect(session.headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
  });

  it.each(['/rest/api/2/nothing', '/rest/api/latest/issue', '/rest/auth/1/session', '/rest/x', '/rest/'])(
    'answers %s with a JSON 404',
    async (path) => {
      const response = await rest(backend(), path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe(PROBLEM_CONTENT_TYPE);
      expect(await response.json()).toMatchObject({ status: 404, errorMessages: ['No such endpoint.'] });
    },
  );
});
