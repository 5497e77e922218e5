import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import type { Settings, SettingsInput } from '@contract/settings';
import { Providers } from '@/app/Providers';
import { routes } from '@/app/routes';
import { createQueryClient } from '@/lib/query-client';
import { useSessionStore } from '@/stores/session';
import { usePreferences } from '@/stores/preferences';
import { useToastStore } from '@/stores/toasts';
import type { DemoHost } from '../../mocks/demo-host';
import { createTestHost, setTestHost } from './server';

/**
 * Renders the whole console at `route`, through the real providers and router, against a fresh
 * demo backend signed in as `as` (a demo username, or null for no session), with `auditRecords` in
 * its seed (default: a small volume).
 */
export function renderApp(route: string, options: { as?: string | null; auditRecords?: number } = {}) {
  const username = options.as === undefined ? 'admin' : options.as;
  const host = setTestHost(createTestHost({ username, auditRecords: options.auditRecords }));
  useSessionStore.setState({ expired: false });
  useToastStore.setState({ toasts: [] });
  localStorage.clear();
  usePreferences.setState(usePreferences.getInitialState());
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({
    ...queryClient.getDefaultOptions(),
    queries: { ...queryClient.getDefaultOptions().queries, retry: false },
  });
  const router = createMemoryRouter(routes, { initialEntries: [route] });
  const user = userEvent.setup();
  const view = render(
    <Providers queryClient={queryClient}>
      <RouterProvider router={router} />
    </Providers>,
  );
  return { ...view, user, router, host, queryClient };
}

/** Saves a settings change straight into the backend's store, as another administrator would. */
export async function saveSettingsBehindTheScenes(
  view: { host: DemoHost },
  change: (settings: SettingsInput) => void,
  by = 'auditor',
): Promise<Settings> {
  const store = view.host.store();
  const current = await store.getSettings();
  const next: SettingsInput = structuredClone({
    authentication: current.authentication,
    permissions: current.permissions,
    auditLogging: current.auditLogging,
  });
  change(next);
  const saved = await store.saveSettings(next, current.version, by, new Date());
  if (!saved) throw new Error('the store refused the save');
  return saved;
}
