import { DEFAULT_DEMO_USERNAME } from '../contract/demo';
import { DEMO_NODES } from '../contract/logging';
import { parseStoredSettings, SettingsSchema } from '../contract/settings';
import { createBackend, type Backend } from '../backend/app';
import type { DemoTrafficSummary } from '../contract/demo-schemas';
import { MemoryStore, noChanges, type MemoryChanges } from '../backend/store/memory';
import { DEMO_PASSWORD, demoTrafficRequests } from './demo-traffic';
import { generateDemoData, type DemoData } from './seed/generate';

/** The part of the Web Storage API the demo persists to (localStorage in the browser, a Map in tests). */
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const ANCHOR_KEY = 'api-token-console.demo.anchor';
export const CHANGES_KEY = 'api-token-console.demo.changes';

export interface DemoHost {
  /** Hands one request to the backend; persists what it changed. */
  handle(request: Request): Promise<Response>;
  /** The seeded data set (for tests). */
  data(): DemoData;
  store(): MemoryStore;
}

interface DemoState {
  anchor: number;
  data: DemoData;
  store: MemoryStore;
  /** The serialised changes this tab last loaded or wrote; another tab's write makes them differ. */
  savedChanges: string | null;
}

/**
 * The demo backend: the seed regenerated from a fixed random seed and a persisted anchor time, plus
 * the persisted changes on top. Several tabs share the changes through storage, so that one tab sees
 * another's saves (and a stale save gets its 412).
 */
export function createDemoHost(options: {
  storage: KeyValueStorage;
  now?: () => Date;
  auditRecordCount?: number;
}): DemoHost {
  const { storage, auditRecordCount } = options;
  const now = options.now ?? (() => new Date());
  let state = load();
  let requestCount = 0;
  let trafficRound = 0;

  function load(): DemoState {
    let anchor = Number(storage.getItem(ANCHOR_KEY));
    if (!Number.isFinite(anchor) || anchor <= 0) {
      anchor = now().getTime();
      storage.setItem(ANCHOR_KEY, String(anchor));
    }
    const data = generateDemoData({ now: new Date(anchor), auditRecordCount });
    const savedChanges = storage.getItem(CHANGES_KEY);
    return { anchor, data, store: new MemoryStore(data, parseChanges(savedChanges)), savedChanges };
  }

  function syncFromStorage() {
    const anchor = Number(storage.getItem(ANCHOR_KEY));
    if (anchor !== state.anchor) {
      state = load();
      return;
    }
    const savedChanges = storage.getItem(CHANGES_KEY);
    if (savedChanges !== state.savedChanges) {
      state.store = new MemoryStore(state.data, parseChanges(savedChanges));
      state.savedChanges = savedChanges;
    }
  }

  function persist() {
    const serialised = JSON.stringify(state.store.exportChanges());
    if (serialised !== state.savedChanges) {
      storage.setItem(CHANGES_KEY, serialised);
      state.savedChanges = serialised;
    }
  }

  async function sendDemoTraffic(): Promise<DemoTrafficSummary> {
    const store = state.store;
    const before = {
      audit: (await store.listAuditRecords({ limit: 1 })).items[0]?.id,
      log: (await store.listLogEntries({ limit: 1 })).items[0]?.id,
    };
    const byStatus: Record<string, number> = {};
    const requests = demoTrafficRequests(state.data, trafficRound++, now());
    for (const request of requests) {
      const { status } = await backend.app.fetch(request);
      byStatus[status] = (byStatus[status] ?? 0) + 1;
    }
    const newer = (ids: { id: string }[], since: string | undefined) =>
      ids.filter((x) => since === undefined || x.id > since).length;
    return {
      requests: requests.length,
      byStatus,
      auditRecords: newer((await store.listAuditRecords({ limit: 500 })).items, before.audit),
      logEntries: newer((await store.listLogEntries({ limit: 500 })).items, before.log),
    };
  }

  const backend: Backend = createBackend({
    get store() {
      return state.store;
    },
    now,
    identify: async () => {
      const username = await state.store.getDemoSessionUsername();
      return username ? ((await state.store.findUserByUsername(username)) ?? null) : null;
    },
    // Simulated clients name themselves in X-Forwarded-For (through the demo's load balancer);
    // requests alternate between the two simulated cluster nodes.
    client: (request) => {
      const forwarded =
        request.headers
          .get('x-forwarded-for')
          ?.split(',')
          .map((s) => s.trim()) ?? [];
      const nodeId = DEMO_NODES[requestCount++ % DEMO_NODES.length]!;
      if (forwarded.length >= 2) return { clientIp: forwarded[0]!, proxyIp: forwarded.at(-1)!, nodeId };
      return { clientIp: '127.0.0.1', proxyIp: null, nodeId };
    },
    verifyPassword: (_username, password) =>
      Promise.resolve({ kind: password === DEMO_PASSWORD ? 'valid' : 'invalid' }),
    resetDemo() {
      storage.removeItem(CHANGES_KEY);
      storage.setItem(ANCHOR_KEY, String(now().getTime()));
      state = load();
    },
    sendDemoTraffic,
  });

  return {
    async handle(request) {
      syncFromStorage();
      const revision = state.store.revision;
      const response = await backend.app.fetch(request);
      // A GET changes things too: a token's "last used", the audit records and log lines it causes.
      if (state.store.revision !== revision) persist();
      return response;
    },
    data: () => state.data,
    store: () => state.store,
  };
}

/** The version of stored settings (their document is read by `parseStoredSettings`). */
const SettingsVersionSchema = SettingsSchema.pick({ version: true, updatedAt: true, updatedBy: true });

function parseChanges(serialised: string | null): MemoryChanges {
  const fresh = noChanges(DEFAULT_DEMO_USERNAME);
  if (!serialised) return fresh;
  try {
    const stored = JSON.parse(serialised) as Partial<MemoryChanges>;
    // Settings saved before a field existed get its default.
    const settings = stored.settings && {
      ...parseStoredSettings(stored.settings),
      ...SettingsVersionSchema.parse(stored.settings),
    };
    return { ...fresh, ...stored, settings: settings ?? null };
  } catch {
    return fresh; // unreadable (an older demo's format): start from the seed
  }
}
