// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { BASE_PATH } from '../contract/api';
import type { Settings, SettingsInput } from '../contract/settings';
import { expectTwoFieldsFilledIn, SETTINGS_BEFORE_TWO_FIELDS } from '../backend/test/fixtures';
import type { CreatedToken } from '../contract/tokens';
import type { MemoryChanges } from '../backend/store/memory';
import { ANCHOR_KEY, CHANGES_KEY, createDemoHost, type DemoHost, type KeyValueStorage } from './demo-host';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const ORIGIN = 'http://localhost';

/** Browser storage as a Map, shared by every host (tab) created on it. */
function mapStorage() {
  const values = new Map<string, string>();
  const storage: KeyValueStorage = {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
  return { values, storage };
}

function newHost(storage: KeyValueStorage, now: () => Date = () => NOW): DemoHost {
  return createDemoHost({ storage, now, auditRecordCount: 2_000 });
}

function api(
  host: DemoHost,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return host.handle(
    new Request(`${ORIGIN}${BASE_PATH}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

async function getSettings(host: DemoHost): Promise<Settings> {
  const response = await api(host, 'GET', '/settings');
  expect(response.status).toBe(200);
  return (await response.json()) as Settings;
}

function inputOf(settings: Settings): SettingsInput {
  return structuredClone({
    authentication: settings.authentication,
    permissions: settings.permissions,
    auditLogging: settings.auditLogging,
  });
}

function putSettings(host: DemoHost, input: SettingsInput, version: number) {
  return api(host, 'PUT', '/settings', input, { 'if-match': `"settings-v${version}"` });
}

async function createToken(host: DemoHost, description: string, ownerKey?: string): Promise<CreatedToken> {
  const response = await api(host, 'POST', '/tokens', {
    description,
    scope: 'READ_WRITE',
    expiresAt: new Date(NOW.getTime() + 7 * 86_400_000).toISOString(),
    ipRestrictions: [],
    ...(ownerKey && { ownerKey }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as CreatedToken;
}

function storedChanges(values: Map<string, string>): Partial<MemoryChanges> {
  const raw = values.get(CHANGES_KEY);
  return raw ? (JSON.parse(raw) as Partial<MemoryChanges>) : {};
}

/** A seeded token of jdoe that works from any address and has not expired. */
function usableSeededToken(host: DemoHost) {
  const token = host
    .data()
    .tokens.find(
      (t) =>
        t.ownerUsername === 'jdoe' &&
        t.ipRestrictions.length === 0 &&
        (t.expiresAt === null || Date.parse(t.expiresAt) > NOW.getTime()),
    );
  if (!token) throw new Error('the seed has no usable token of jdoe');
  const secret = host.data().tokenSecrets.get(token.id);
  if (!secret) throw new Error(`no secret for ${token.id}`);
  return { token, secret };
}

describe('the demo host', () => {
  it('persists a change made through a PUT, and a new host on the same storage sees it', async () => {
    const { values, storage } = mapStorage();
    const first = newHost(storage);
    const before = await getSettings(first);
    expect(before.version).toBe(1);
    expect(before.authentication.rateLimit.enabled).toBe(false);

    const input = inputOf(before);
    input.authentication.rateLimit.enabled = true;
    input.authentication.rateLimit.requestsPerMinute = 120;
    const response = await putSettings(first, input, 1);
    expect(response.status).toBe(200);

    expect(storedChanges(values).settings).toMatchObject({
      version: 2,
      updatedBy: 'admin',
      authentication: { rateLimit: { enabled: true, requestsPerMinute: 120 } },
    });

    const reloaded = newHost(storage);
    const after = await getSettings(reloaded);
    expect(after.version).toBe(2);
    expect(after.updatedBy).toBe('admin');
    expect(after.authentication.rateLimit).toEqual({ enabled: true, requestsPerMinute: 120, burst: 100 });
    // The same anchor: the seed is the same data set, not one regenerated at another time.
    expect(values.get(ANCHOR_KEY)).toBe(String(NOW.getTime()));
    expect(reloaded.data().tokens.map((t) => t.id)).toEqual(first.data().tokens.map((t) => t.id));
    // The audit record of the change is kept too.
    const records = (await reloaded.store().listAuditRecords({ limit: 5 })).items;
    expect(records.map((r) => r.summary)).toContain('Settings changed');
  });

  it('persists what a GET changed: the last use of a token', async () => {
    const { values, storage } = mapStorage();
    const host = newHost(storage);
    const { token, secret } = usableSeededToken(host);
    expect(token.lastUsedAt).not.toBe(NOW.toISOString());

    const response = await host.handle(
      new Request(`${ORIGIN}/rest/api/2/myself`, { headers: { authorization: `Bearer ${secret}` } }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: 'jdoe' });

    expect(storedChanges(values).tokens?.[token.id]).toMatchObject({
      id: token.id,
      lastUsedAt: NOW.toISOString(),
      lastUsedIp: '127.0.0.1',
    });
    const reloaded = newHost(storage);
    expect(await reloaded.store().getToken(token.id)).toMatchObject({
      lastUsedAt: NOW.toISOString(),
      lastUsedIp: '127.0.0.1',
    });
  });

  it('a second host on the same storage (another tab) sees the first one’s save, and its stale save gets 412', async () => {
    const { storage } = mapStorage();
    const tabA = newHost(storage);
    const tabB = newHost(storage);
    const loadedInB = await getSettings(tabB);
    expect(loadedInB.version).toBe(1);

    const changeInA = inputOf(await getSettings(tabA));
    changeInA.auditLogging.permissionDenied = true;
    expect((await putSettings(tabA, changeInA, 1)).status).toBe(200);

    // Tab B's next request sees tab A's save.
    const seenInB = await getSettings(tabB);
    expect(seenInB.version).toBe(2);
    expect(seenInB.auditLogging.permissionDenied).toBe(true);

    // A save based on what tab B loaded before is stale.
    const staleChange = inputOf(loadedInB);
    staleChange.auditLogging.successfulAuthentication = true;
    const stale = await putSettings(tabB, staleChange, 1);
    expect(stale.status).toBe(412);
    expect(await stale.json()).toMatchObject({ status: 412, title: 'Precondition Failed' });
    expect((await getSettings(tabA)).auditLogging.successfulAuthentication).toBe(false);

    // On top of the current version it is accepted, and tab A sees it in turn.
    const current = inputOf(seenInB);
    current.auditLogging.successfulAuthentication = true;
    expect((await putSettings(tabB, current, 2)).status).toBe(200);
    const seenInA = await getSettings(tabA);
    expect(seenInA.version).toBe(3);
    expect(seenInA.auditLogging).toMatchObject({ permissionDenied: true, successfulAuthentication: true });
  });

  it('POST /demo/reset restores the seed and clears the changes, in every tab', async () => {
    const { values, storage } = mapStorage();
    const host = newHost(storage);
    const otherTab = newHost(storage);
    const seeded = host.data().tokens.find((t) => t.ownerUsername === 'admin')!;

    const input = inputOf(await getSettings(host));
    input.authentication.disableBasicAuthWithPasswords = true;
    expect((await putSettings(host, input, 1)).status).toBe(200);
    const created = await createToken(host, 'Reset me');
    expect((await api(host, 'DELETE', `/tokens/${seeded.id}`)).status).toBe(204);
    expect(await host.store().getToken(seeded.id)).toBeUndefined();
    expect(Object.keys(storedChanges(values).tokens ?? {}).sort()).toEqual(
      [created.token.id, seeded.id].sort(),
    );

    const reset = await api(host, 'POST', '/demo/reset');
    expect(reset.status).toBe(204);

    const settings = await getSettings(host);
    expect(settings.version).toBe(1);
    expect(settings.updatedBy).toBeNull();
    expect(settings.authentication.disableBasicAuthWithPasswords).toBe(false);
    expect(await host.store().getToken(created.token.id)).toBeUndefined();
    expect(await host.store().getToken(seeded.id)).toMatchObject({ id: seeded.id });

    const changes = storedChanges(values);
    expect(changes.settings ?? null).toBeNull();
    expect(changes.tokens ?? {}).toEqual({});
    expect(changes.auditRecords ?? []).toEqual([]);

    // The other tab starts over from the seed on its next request.
    expect((await getSettings(otherTab)).version).toBe(1);
    expect(await otherTab.store().getToken(created.token.id)).toBeUndefined();
    expect(await otherTab.store().getToken(seeded.id)).toMatchObject({ id: seeded.id });
  });

  it('reads settings stored before a field existed: the field gets its default, the rest is kept', async () => {
    const { values, storage } = mapStorage();
    values.set(ANCHOR_KEY, String(NOW.getTime()));
    const older = {
      ...SETTINGS_BEFORE_TWO_FIELDS,
      version: 4,
      updatedAt: '2026-11-20T09:00:00.000Z',
      updatedBy: 'admin',
    };
    values.set(CHANGES_KEY, JSON.stringify({ settings: older }));

    const host = newHost(storage);
    const settings = expectTwoFieldsFilledIn(await getSettings(host));
    expect(settings).toMatchObject({ version: 4, updatedBy: 'admin' });
    // And it saves on top of them.
    expect((await putSettings(host, inputOf(settings), 4)).status).toBe(200);
  });

  it('never persists a token secret', async () => {
    const { values, storage } = mapStorage();
    const host = newHost(storage);
    // Audit every authentication, so that the uses below leave records.
    const input = inputOf(await getSettings(host));
    input.auditLogging.successfulAuthentication = true;
    input.auditLogging.failedVerification = true;
    input.auditLogging.permissionDenied = true;
    expect((await putSettings(host, input, 1)).status).toBe(200);

    const jdoeKey = (await host.store().findUserByUsername('jdoe'))!.key;
    const created = [
      await createToken(host, 'Own token'),
      await createToken(host, 'Token for jdoe', jdoeKey),
      await createToken(host, 'Another own token'),
    ];
    const secrets = created.map((c) => c.secret);
    expect(secrets.every((s) => s.startsWith('atc_'))).toBe(true);

    // Use them: Bearer, Basic, and a write that a Read Write token may do.
    const use = (authorization: string, method = 'GET') =>
      host.handle(new Request(`${ORIGIN}/rest/api/2/myself`, { method, headers: { authorization } }));
    expect((await use(`Bearer ${secrets[0]}`)).status).toBe(200);
    expect((await use(`Basic ${btoa(`jdoe:${secrets[1]}`)}`)).status).toBe(200);
    const seeded = usableSeededToken(host);
    expect((await use(`Bearer ${seeded.secret}`)).status).toBe(200);
    secrets.push(seeded.secret);

    const stored = values.get(CHANGES_KEY)!;
    expect(stored).toContain(created[0]!.token.id);
    expect(stored).toContain(created[1]!.token.id);
    expect(storedChanges(values).auditRecords!.length).toBeGreaterThan(3);
    for (const secret of secrets) {
      expect(stored.includes(secret), `the stored changes contain the secret ${secret}`).toBe(false);
      // Not even its body without the recognisable prefix.
      expect(stored.includes(secret.slice('atc_'.length))).toBe(false);
    }
    for (const value of values.values()) {
      for (const secret of secrets) expect(value.includes(secret)).toBe(false);
    }
  });
});
