/**
 * Hostile and malformed input to every write endpoint and to the query of every list endpoint
 * (refused.test.ts, accepted.test.ts): what the cases share. A refused request answers a clear 4xx as
 * problem+json (with the field that is wrong, where there is one) and changes nothing; a valid but odd
 * value is stored verbatim and answered as JSON text.
 */
import { expect } from 'vitest';
import { PROBLEM_CONTENT_TYPE, type Problem } from '../../../contract/problem';
import { DEFAULT_SETTINGS, type SettingsInput } from '../../../contract/settings';
import type { DataSet } from '../../store/port';
import { fixtureAuditRecord, fixtureData, fixtureTokenOf } from '../../test/fixtures';
import type { createTestBackend } from '../../test/harness';
import { TEST_NOW } from '../../test/harness';

export const DAY = 86_400_000;
export const iso = (ms: number) => new Date(ms).toISOString();

export const SCRIPT = '<script>alert(1)</script>';
export const IMG = '<img src=x onerror=alert(1)>';
export const LONG_256 = 'a'.repeat(256);
export const LONG_100K = 'x'.repeat(100_000);
export const RTL_OVERRIDE = '\u202E';
export const ZWJ = '\u200D';
export const LONE_SURROGATE = '\uD800';
export const NUL = '\u0000';
export const LINE_SEPARATOR = '\u2028';
export const PARAGRAPH_SEPARATOR = '\u2029';

export const JDOE_TOKEN = 'tok_jdoe000000001';
export const ADMIN_TOKEN = 'tok_admin00000001';
export const LOGGER = 'com.example';

export const token = (id: string, username: string, description: string) =>
  fixtureTokenOf(id, username, description, TEST_NOW);

export const auditRecord = (n: number) =>
  fixtureAuditRecord(n, iso(TEST_NOW.getTime() - (10 - n) * 3_600_000), {
    details: { tokenId: JDOE_TOKEN, endpoint: '/rest/api/2/myself', username: 'jdoe' },
  });

export function dataSet(): DataSet {
  return {
    ...fixtureData(),
    tokens: [token(ADMIN_TOKEN, 'admin', 'Admin backup'), token(JDOE_TOKEN, 'jdoe', 'CI pipeline')],
    auditRecords: [auditRecord(2), auditRecord(1)],
    loggers: [
      { name: 'ROOT', configuredLevel: 'WARN' },
      { name: LOGGER, configuredLevel: 'INFO' },
    ],
  };
}

export type Backend = ReturnType<typeof createTestBackend>;
export type As = 'admin' | 'auditor' | 'jdoe';

/** Everything a request could change (the retention watermark aside, which audit reads move). */
export function snapshot(backend: Backend): string {
  const { auditPurgedBefore: _watermark, ...changes } = backend.store.exportChanges();
  return JSON.stringify({ changes, resets: backend.resets() });
}

// ---------------------------------------------------------------------------------------------------
// Request bodies.
// ---------------------------------------------------------------------------------------------------

/** The default settings, changed by `change`. */
export function settingsWith(change: (s: SettingsInput) => void): SettingsInput {
  const next = structuredClone(DEFAULT_SETTINGS);
  change(next);
  return next;
}

export const VALID_EXPIRY = iso(TEST_NOW.getTime() + 30 * DAY);
export const newToken = (fields: Record<string, unknown> = {}) => ({
  description: 'Deploy bot',
  scope: 'READ_ONLY',
  expiresAt: VALID_EXPIRY,
  ipRestrictions: [],
  ...fields,
});

/** A query parameter's value, encoded. */
export const q = (value: string) => encodeURIComponent(value);

/** 101 distinct valid addresses. */
export const TOO_MANY_IPS = Array.from({ length: 101 }, (_, i) => `10.0.${Math.floor(i / 256)}.${i % 256}`);

export interface Refused {
  name: string;
  as?: As;
  settings?: Partial<SettingsInput>;
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, with this content type (none: no content-type header at all). */
  raw?: { body: string; type?: string };
  headers?: Record<string, string>;
  status: 400 | 403 | 404 | 412 | 413 | 415 | 422 | 428;
  /** The key of `errors` that names the wrong field. */
  field?: string;
}

export interface Accepted {
  name: string;
  as?: As;
  run: (backend: Backend) => Promise<void>;
}

export function send(backend: Backend, c: Pick<Refused, 'method' | 'path' | 'body' | 'raw' | 'headers'>) {
  if (c.raw) {
    const headers: Record<string, string> = { ...c.headers };
    if (c.raw.type !== undefined) headers['content-type'] = c.raw.type;
    // Bytes, so that fetch adds no content type of its own.
    return backend.call(c.path, { method: c.method, headers, body: new TextEncoder().encode(c.raw.body) });
  }
  if (c.body === undefined) return backend.call(c.path, { method: c.method, headers: c.headers });
  return backend.json(c.method, c.path, c.body, c.headers);
}

export async function expectProblem(response: Response, status: number, field?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
  const problem = (await response.json()) as Problem;
  expect(problem).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
  if (field !== undefined) {
    expect(Object.keys(problem.errors ?? {})).toContain(field);
    expect(problem.errors![field]).toEqual(expect.any(String));
  }
  return problem;
}
