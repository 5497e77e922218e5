/**
 * The document is the truth: every operation of the OpenAPI document, walked against the running
 * backend (the memory store behind the demo's backend, and the real server over HTTP), with valid
 * requests and invalid ones generated from the document's own schemas (fast-check). Every answer must
 * be one the document declares for that operation, with a body its schema accepts, and never a 5xx.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_PATH } from '../contract/api';
import { OPENAPI_PATH, type OpenApiDocument, type OpenApiOperation } from '../contract/openapi';
import type { CreatedToken, DirectoryUser } from '../contract/tokens';
import type { AuditRecordsPage } from '../contract/audit-query';
import type { Settings } from '../contract/settings';
import { generateSecret, hashSecret } from '../backend/auth/secrets';
import { fixtureData, fixtureToken } from '../backend/test/fixtures';
import { createTestBackend } from '../backend/test/harness';
import { signInAdmin, startChildServer } from './test/child-server';
import { valueOf, wrongValueOf, type Schema } from './test/json-schema-arbitrary';

/** Where requests go: a path (with its query) and what fetch takes. */
type Send = (path: string, init: RequestInit) => Promise<Response>;

interface Target {
  send: Send;
  stop(): Promise<void>;
}

/**
 * The backend of the demo and the tests: the memory store, the admin signed in (the demo's session)
 * and a Read & Write token of theirs.
 */
async function memoryBackend(): Promise<Target> {
  const secret = generateSecret();
  const data = fixtureData();
  data.tokens = [
    fixtureToken({
      id: 'tok_walker',
      ownerKey: 'U1',
      ownerUsername: 'admin',
      secretHash: hashSecret(secret),
    }),
  ];
  const { app } = createTestBackend({ as: 'admin', data, now: () => new Date() });
  return {
    send: async (path, init) => app.request(path, withCredentials(path, init, secret, {})),
    stop: async () => {},
  };
}

/** The real server in a child process on a fresh database, over HTTP: the admin's session and a token of theirs. */
async function realServer(): Promise<Target> {
  const server = await startChildServer(PASSWORDS);
  const session = await signInAdmin(server.base, PASSWORDS.ATC_ADMIN_PASSWORD);
  const created = await fetch(`${server.base}${BASE_PATH}/tokens`, {
    method: 'POST',
    headers: { ...session, 'content-type': 'application/json' },
    body: JSON.stringify({
      description: 'Walker',
      scope: 'READ_WRITE',
      expiresAt: inAMonth(),
      ipRestrictions: [],
    }),
  });
  const { secret } = (await created.json()) as CreatedToken;
  return {
    send: (path, init) => fetch(`${server.base}${path}`, withCredentials(path, init, secret, session)),
    stop: () => server.stop(),
  };
}

const PASSWORDS = {
  ATC_ADMIN_PASSWORD: 'walker-admin-pw',
  ATC_AUDITOR_PASSWORD: 'walker-auditor-pw',
  ATC_USER_PASSWORD: 'walker-user-pw',
};

const inAMonth = () => new Date(Date.now() + 30 * 86_400_000).toISOString();

/**
 * The Jira-shaped surface is called with the token, as scripts do; the console's and the vendor's
 * token APIs with the admin's session, since a token may not create or change tokens
 * (docs/decisions/0010-token-management-credentials.md).
 */
const withCredentials = (
  path: string,
  init: RequestInit,
  secret: string,
  session: Record<string, string>,
): RequestInit => ({
  ...init,
  headers: {
    ...(path.startsWith('/rest/api/') ? { authorization: `Bearer ${secret}` } : session),
    ...(init.headers as Record<string, string>),
  },
});

/** Operations that would take the walker's own access or settings away: walked last. */
const LAST = ['revokeTokensOfUser', 'putSettings'];

interface Walk {
  document: OpenApiDocument;
  resolve: (ref: string) => Schema;
  validate: (ref: string, body: unknown) => string | null;
}

async function walkOf(target: Target): Promise<Walk> {
  const response = await target.send(OPENAPI_PATH, {});
  expect(response.status).toBe(200);
  const document = (await response.json()) as OpenApiDocument;
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  addFormats(ajv);
  ajv.addSchema(document, 'openapi.json');
  const resolve = (ref: string) => document.components.schemas[ref.replace('#/components/schemas/', '')]!;
  const validate = (ref: string, body: unknown) => {
    const check = ajv.getSchema(`openapi.json${ref}`)!;
    return check(body) ? null : ajv.errorsText(check.errors);
  };
  return { document, resolve, validate };
}

/** Values that name things the target has, so that valid requests also reach the successful answers. */
async function knownValues(target: Target): Promise<Record<string, string[]>> {
  const json = async <T>(path: string, init: RequestInit = {}) =>
    (await (await target.send(path, init)).json()) as T;
  const tokenIds: string[] = [];
  for (let i = 0; i < 20; i++) {
    const created = await json<CreatedToken>(`${BASE_PATH}/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        description: `Victim ${i}`,
        scope: 'READ_ONLY',
        expiresAt: inAMonth(),
        ipRestrictions: [],
      }),
    });
    tokenIds.push(created.token.id);
  }
  await target.send('/rest/api/2/issue', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Known' },
    }),
  });
  const records = await json<AuditRecordsPage>(`${BASE_PATH}/audit/records?limit=5`);
  const {
    version: _v,
    updatedAt: _a,
    updatedBy: _b,
    ...settings
  } = await json<Settings>(`${BASE_PATH}/settings`);
  const users = await json<DirectoryUser[]>(`${BASE_PATH}/users`);
  return {
    id: [...tokenIds, ...records.records.map((r) => r.id)],
    // Never the admin: the walker's own token would go.
    key: users.filter((u) => u.username !== 'admin').map((u) => u.key),
    name: ['de.resolution.apitokenauth', 'ROOT', 'com.example.walker'],
    idOrKey: ['DEMO', '10000', 'DEMO-1', '10001'],
    'If-Match': ['*'],
    // A range of an hour: a histogram of it fits its bucket limit.
    from: [new Date(Date.now() - 3_600_000).toISOString()],
    to: [new Date().toISOString()],
    tz: ['UTC', 'Europe/Berlin'],
    // Valid bodies that random ones (policy, data, the current settings) almost never are.
    'body:createToken': [
      JSON.stringify({
        description: 'Walked',
        scope: 'READ_ONLY',
        expiresAt: inAMonth(),
        ipRestrictions: [],
      }),
    ],
    'body:vendorCreateToken': [JSON.stringify({ tokenDescription: 'Walked', tokenValidityTimeInMonths: 1 })],
    'body:createIssue': [
      JSON.stringify({ fields: { project: { key: 'DEMO' }, issuetype: { name: 'Bug' }, summary: 'Walked' } }),
    ],
    'body:putSettings': [JSON.stringify(settings)],
    ip: ['203.0.113.0/24', '2001:db8::1'],
  };
}

interface GeneratedRequest {
  path: string;
  init: RequestInit;
  /** What was sent, for the failure message. */
  shown: string;
}

function requestsOf(
  path: string,
  method: string,
  operation: OpenApiOperation,
  walk: Walk,
  known: Record<string, string[]>,
): fc.Arbitrary<GeneratedRequest> {
  const parameters = operation.parameters ?? [];
  const bodySchema = operation.requestBody?.content['application/json']?.schema;
  const valueFor = (name: string, schema: Schema) =>
    known[name]
      ? fc.oneof(fc.constantFrom(...known[name]), valueOf(schema, walk.resolve))
      : valueOf(schema, walk.resolve);

  const valid = fc.record({
    values: fc.tuple(
      ...parameters.map((p) =>
        p.required ? valueFor(p.name, p.schema) : fc.option(valueFor(p.name, p.schema), { freq: 2 }),
      ),
    ),
    body: bodySchema
      ? fc.oneof(
          valueOf(bodySchema, walk.resolve).map((b) => JSON.stringify(b)),
          ...(known[`body:${operation.operationId}`]
            ? [fc.constantFrom(...known[`body:${operation.operationId}`]!)]
            : []),
        )
      : fc.constant(undefined),
    contentType: fc.constant('application/json'),
  });
  const invalid = fc.record({
    values: fc.tuple(
      ...parameters.map((p) =>
        fc.oneof(
          {
            weight: 3,
            arbitrary: p.required
              ? valueFor(p.name, p.schema)
              : fc.option(valueFor(p.name, p.schema), { freq: 2 }),
          },
          { weight: 1, arbitrary: wrongValueOf(p.schema, walk.resolve) },
        ),
      ),
    ),
    body: bodySchema
      ? fc.oneof(
          wrongValueOf(bodySchema, walk.resolve).map((b) => JSON.stringify(b)),
          fc.constantFrom('{', '', 'null', '[]', '{"a":', '\u0000'),
          fc.string({ maxLength: 30 }),
        )
      : fc.constant(undefined),
    contentType: bodySchema
      ? fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', '')
      : fc.constant('application/json'),
  });

  return fc.oneof(valid, invalid).map(({ values, body, contentType }) => {
    let url = path;
    const query = new URLSearchParams();
    const headers: Record<string, string> = {};
    parameters.forEach((p, i) => {
      const value = values[i];
      if (value === null || value === undefined) return;
      const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
      if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(text(value)));
      else if (p.in === 'header') headers[p.name] = text(value).replace(/[^\t\x20-\x7e]/g, '');
      else if (Array.isArray(value)) for (const item of value) query.append(p.name, text(item));
      else query.set(p.name, text(value));
    });
    if (body !== undefined && contentType) headers['content-type'] = contentType;
    const search = query.size > 0 ? `?${query}` : '';
    return {
      path: `${url}${search}`,
      init: { method: method.toUpperCase(), headers, body },
      shown: `${method.toUpperCase()} ${url}${search} ${JSON.stringify(headers)} ${body ?? ''}`.slice(0, 600),
    };
  });
}

/** Why an answer is not one the document declares for the operation (null: it is). */
async function nonConformance(
  response: Response,
  operation: OpenApiOperation,
  walk: Walk,
): Promise<string | null> {
  const declared = operation.responses[String(response.status)];
  const text = await response.text();
  if (response.status >= 500) return `a ${response.status}: ${text.slice(0, 300)}`;
  if (!declared)
    return `status ${response.status}, which the document does not declare: ${text.slice(0, 300)}`;
  if (!declared.content)
    return text === '' ? null : `a body where the document declares none: ${text.slice(0, 200)}`;
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const media = declared.content[type];
  if (!media) return `content type "${type}", not one of ${Object.keys(declared.content).join(', ')}`;
  const ref = media.schema.$ref as string;
  const body = type === 'application/json' || type.endsWith('+json') ? (JSON.parse(text) as unknown) : text;
  const error = walk.validate(ref, body);
  return error && `a ${response.status} body that ${ref} does not accept (${error}): ${text.slice(0, 300)}`;
}

const TARGETS: [string, () => Promise<Target>, number][] = [
  ['the memory-store backend', memoryBackend, 30],
  ['the real server over HTTP', realServer, 15],
];

describe.each(TARGETS)('the OpenAPI document is the truth: %s', (_name, start, runs) => {
  let target: Target;
  let walk: Walk;
  let known: Record<string, string[]>;
  beforeAll(async () => {
    target = await start();
    walk = await walkOf(target);
    known = await knownValues(target);
  }, 60_000);
  afterAll(() => target?.stop());

  const operations = () =>
    Object.entries(walk.document.paths)
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })))
      .sort((a, b) => LAST.indexOf(a.op.operationId) - LAST.indexOf(b.op.operationId));

  it('answers every operation as the document says, for valid and invalid requests', async () => {
    const failures: string[] = [];
    for (const [index, { path, method, op }] of operations().entries()) {
      // fast-check prefers the first of a list: each operation starts elsewhere in the known values,
      // so that one that deletes does not leave the next nothing to find.
      const rotated = Object.fromEntries(
        Object.entries(known).map(([name, values]) => {
          const start = (index * 5) % values.length;
          return [name, [...values.slice(start), ...values.slice(0, start)]];
        }),
      );
      const result = await fc.check(
        fc.asyncProperty(requestsOf(path, method, op, walk, rotated), async (request) => {
          const response = await target.send(request.path, request.init);
          const problem = await nonConformance(response, op, walk);
          if (problem) throw new Error(`${op.operationId}: ${request.shown}\n  → ${problem}`);
        }),
        { numRuns: runs, seed: 20_2611, endOnFailure: true },
      );
      if (result.failed)
        failures.push(
          (result.errorInstance as Error | undefined)?.message ?? JSON.stringify(result.counterexample),
        );
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
