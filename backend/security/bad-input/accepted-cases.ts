/**
 * Accepted requests: valid, but odd.
 */
import { expect } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../contract/settings';
import { CreatedTokenSchema, TokenSchema } from '../../../contract/tokens';
import { TEST_NOW } from '../../test/harness';
import type { Backend, Accepted } from './test-kit';
import { SCRIPT, IMG, ZWJ, JDOE_TOKEN, snapshot, settingsWith, newToken, q } from './test-kit';

/** Creates a token with `description`; expects 201 and the description stored and answered verbatim. */
async function createVerbatim(backend: Backend, description: string, stored = description) {
  const response = await backend.json('POST', '/tokens', newToken({ description }));
  expect(response.status).toBe(201);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await response.text();
  // JSON text: the value is a JSON string, never markup the answer would carry as such.
  expect(text).toContain(JSON.stringify(stored));
  const { token } = CreatedTokenSchema.parse(JSON.parse(text));
  expect(token.description).toBe(stored);
  expect((await backend.store.getToken(token.id))?.description).toBe(stored);
  const [record] = (await backend.store.listAuditRecords({ limit: 1 })).items;
  expect(record).toMatchObject({ summary: 'API token created', details: { tokenDescription: stored } });
  const list = await backend.call(`/tokens?q=${encodeURIComponent(stored)}`);
  expect(list.status).toBe(200);
  expect(((await list.json()) as { tokens: { description: string }[] }).tokens).toEqual([
    expect.objectContaining({ description: stored }),
  ]);
  return token;
}

const TOKEN_KEYS = Object.keys(TokenSchema.shape).sort();

export const ACCEPTED: Accepted[] = [
  {
    name: 'POST /tokens: a script as the description is stored verbatim',
    run: async (backend) => void (await createVerbatim(backend, SCRIPT)),
  },
  {
    name: 'POST /tokens: an image tag as the description is stored verbatim',
    run: async (backend) => void (await createVerbatim(backend, IMG)),
  },
  {
    name: 'POST /tokens: emoji with zero-width joiners are stored verbatim',
    run: async (backend) =>
      void (await createVerbatim(backend, `Deploy 🔑 by 👩${ZWJ}💻 and 👨${ZWJ}👩${ZWJ}👧`)),
  },
  {
    name: 'POST /tokens: a quoted, ampersanded, apostrophed description is stored verbatim',
    run: async (backend) =>
      void (await createVerbatim(backend, `"O'Brien" & <b>Sons</b> \\ {{7*7}} \${7*7}`)),
  },
  {
    name: 'POST /tokens: a description of exactly 255 characters',
    run: async (backend) => void (await createVerbatim(backend, 'd'.repeat(255))),
  },
  {
    name: 'POST /tokens: surrounding spaces are trimmed',
    run: async (backend) => void (await createVerbatim(backend, '   Deploy bot   ', 'Deploy bot')),
  },
  {
    name: 'POST /tokens: a spreadsheet formula is stored verbatim and neutralised in the CSV export',
    run: async (backend) => {
      const formula = '=HYPERLINK("http://evil.example","click")';
      await createVerbatim(backend, formula);
      const csv = await (await backend.call('/audit/export?format=csv')).text();
      expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
      expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
    },
  },
  {
    name: 'POST /tokens: unknown fields are dropped; id, secret hash, creator and dates are the server’s',
    run: async (backend) => {
      const body = JSON.stringify({
        ...newToken(),
        id: 'tok_chosenbyme',
        secretHash: 'hash-i-know',
        secret: 'atc_chosen',
        createdBy: 'mallory',
        createdAt: '2000-01-01T00:00:00.000Z',
        ownerUsername: 'mallory',
        lastUsedAt: '2000-01-01T00:00:00.000Z',
        role: 'admin',
      }).replace(/^\{/, '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},');
      const response = await backend.call('/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(201);
      const { token, secret } = CreatedTokenSchema.parse(await response.json());
      expect(Object.keys(token).sort()).toEqual(TOKEN_KEYS);
      expect(token).toMatchObject({
        ownerKey: 'U1',
        ownerUsername: 'admin',
        createdBy: 'admin',
        createdAt: TEST_NOW.toISOString(),
        lastUsedAt: null,
      });
      expect(token.id).not.toBe('tok_chosenbyme');
      expect(secret).not.toBe('atc_chosen');
      const stored = (await backend.store.getToken(token.id))!;
      expect(Object.keys(stored).sort()).toEqual([...TOKEN_KEYS, 'previousSecretHash', 'secretHash'].sort());
      expect(stored.secretHash).not.toBe('hash-i-know');
      expect(await backend.store.getToken('tok_chosenbyme')).toBeUndefined();
      expect(JSON.stringify(backend.store.exportChanges())).not.toMatch(
        /polluted|mallory|chosen|hash-i-know/,
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  },
  {
    name: 'PATCH /tokens/{id}: a script as the new description is stored verbatim',
    as: 'jdoe',
    run: async (backend) => {
      const response = await backend.json('PATCH', `/tokens/${JDOE_TOKEN}`, { description: IMG });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(TokenSchema.parse(await response.json()).description).toBe(IMG);
      expect((await backend.store.getToken(JDOE_TOKEN))?.description).toBe(IMG);
    },
  },
  {
    name: 'PUT /settings: unknown fields (top level, nested, __proto__) are dropped, nothing unknown is stored',
    run: async (backend) => {
      const body = JSON.stringify({
        ...DEFAULT_SETTINGS,
        evil: 'top',
        version: 99,
        updatedBy: 'mallory',
        authentication: {
          ...DEFAULT_SETTINGS.authentication,
          evil: 'nested',
          rateLimit: { ...DEFAULT_SETTINGS.authentication.rateLimit, evil: 'deep' },
        },
      }).replace(/^\{/, '{"__proto__":{"polluted":true},');
      const response = await backend.call('/settings', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'if-match': '"settings-v1"' },
        body,
      });
      expect(response.status).toBe(200);
      const saved = await backend.store.getSettings();
      expect(saved).toEqual({
        ...DEFAULT_SETTINGS,
        version: 2,
        updatedAt: TEST_NOW.toISOString(),
        updatedBy: 'admin',
      });
      expect(JSON.stringify(backend.store.exportChanges())).not.toMatch(/evil|polluted|mallory/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  },
  {
    name: 'PUT /settings: overlapping (but different) ranges are allowed',
    run: async (backend) => {
      const body = settingsWith(
        (s) => void (s.authentication.ipRestrictions = ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.3']),
      );
      const response = await backend.json('PUT', '/settings', body, { 'if-match': '"settings-v1"' });
      expect(response.status).toBe(200);
      expect((await backend.store.getSettings()).authentication.ipRestrictions).toEqual([
        '10.0.0.0/8',
        '10.1.0.0/16',
        '10.1.2.3',
      ]);
    },
  },
  {
    name: 'PUT /settings: a script as a group name is stored verbatim and answered as JSON text',
    run: async (backend) => {
      const body = settingsWith(
        (s) => void (s.permissions.manageOthersTokens.groups = ['jira-administrators', SCRIPT]),
      );
      const response = await backend.json('PUT', '/settings', body, { 'if-match': '"settings-v1"' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.text()).toContain(JSON.stringify(SCRIPT));
      expect((await backend.store.getSettings()).permissions.manageOthersTokens.groups).toEqual([
        'jira-administrators',
        SCRIPT,
      ]);
    },
  },
  {
    name: 'PUT /settings: "application/json; charset=utf-8" and upper case are JSON',
    run: async (backend) => {
      const first = await backend.call('/settings', {
        method: 'PUT',
        headers: { 'content-type': 'application/json; charset=utf-8', 'if-match': '"settings-v1"' },
        body: JSON.stringify(DEFAULT_SETTINGS),
      });
      expect(first.status).toBe(200);
      const second = await backend.call('/settings', {
        method: 'PUT',
        headers: { 'content-type': 'APPLICATION/JSON', 'if-match': '"settings-v2"' },
        body: JSON.stringify(DEFAULT_SETTINGS),
      });
      expect(second.status).toBe(200);
      expect((await backend.store.getSettings()).version).toBe(3);
    },
  },
  {
    name: 'PUT /logging/loggers/{name}: a valid name of 255 characters',
    run: async (backend) => {
      const name = `a${'.b'.repeat(127)}`;
      expect(name).toHaveLength(255);
      const response = await backend.json('PUT', `/logging/loggers/${name}`, { level: 'TRACE' });
      expect(response.status).toBe(200);
      expect(await backend.store.listLoggers('node-1')).toContainEqual({ name, configuredLevel: 'TRACE' });
    },
  },
  ...[
    `/tokens?q=${q(SCRIPT)}`,
    `/tokens?all=true&owner=${q(IMG)}`,
    `/audit/records?q=${q(SCRIPT)}`,
    `/audit/records?author=${q(IMG)}`,
    `/logging/entries?q=${q(SCRIPT)}`,
    `/users?q=${q(SCRIPT)}`,
    `/groups?q=${q(IMG)}`,
  ].map((path): Accepted => ({
    name: `GET ${path.length > 90 ? `${path.slice(0, 80)}…` : path} finds nothing, as JSON`,
    run: async (backend) => {
      const before = snapshot(backend);
      const response = await backend.call(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as unknown;
      const items = Array.isArray(body)
        ? body
        : ((body as Record<string, unknown[]>).tokens ??
          (body as Record<string, unknown[]>).records ??
          (body as Record<string, unknown[]>).entries);
      expect(items).toEqual([]);
      expect(snapshot(backend)).toBe(before);
    },
  })),
];
