import { BASE_PATH } from '../../contract/api';
import type { SettingsInput } from '../../contract/settings';
import { DEFAULT_SETTINGS } from '../../contract/settings';
import { createBackend } from '../app';
import type { BackendDeps } from '../http/context';
import { MemoryStore, noChanges } from '../store/memory';
import type { DataSet } from '../store/port';
import { fixtureData } from './fixtures';

export const TEST_NOW = new Date('2026-11-25T12:00:00.000Z');
export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * A backend on the memory adapter, signed in (for the console API) as `as`. Requests may name their
 * client address with `x-test-client-ip`.
 */
export function createTestBackend(
  options: {
    as?: string | null;
    data?: DataSet;
    settings?: Partial<SettingsInput>;
    now?: () => Date;
    /** The host's password check (default: TEST_PASSWORD is everyone's password). */
    verifyPassword?: BackendDeps['verifyPassword'];
  } = {},
) {
  const changes = noChanges(options.as === undefined ? 'admin' : options.as);
  if (options.settings) {
    // As if the administrator had saved them once.
    changes.settings = {
      ...DEFAULT_SETTINGS,
      ...options.settings,
      version: 2,
      updatedAt: TEST_NOW.toISOString(),
      updatedBy: 'admin',
    };
  }
  const store = new MemoryStore(options.data ?? fixtureData(), changes);
  let resets = 0;
  const now = options.now ?? (() => TEST_NOW);
  const backend = createBackend({
    store,
    now,
    identify: async () => {
      const name = await store.getDemoSessionUsername();
      return name ? ((await store.findUserByUsername(name)) ?? null) : null;
    },
    client: (request) => ({
      clientIp: request.headers.get('x-test-client-ip') ?? '203.0.113.10',
      proxyIp: null,
      nodeId: 'node-1',
    }),
    verifyPassword:
      options.verifyPassword ??
      ((_username, password) => Promise.resolve({ kind: password === TEST_PASSWORD ? 'valid' : 'invalid' })),
    resetDemo: () => void resets++,
  });
  /** A console API call. */
  const call = (path: string, init?: RequestInit) => backend.app.request(`${BASE_PATH}${path}`, init);
  const json = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  return { ...backend, store, call, json, resets: () => resets };
}

/** Basic credentials, UTF-8 encoded (as curl and browsers send them). */
export const basic = (username: string, secret: string) =>
  `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${username}:${secret}`)))}`;
export const bearer = (secret: string) => `Bearer ${secret}`;
