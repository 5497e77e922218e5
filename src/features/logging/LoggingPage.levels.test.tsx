import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { BASE_PATH } from '@contract/api';
import { APP_LOGGERS, ROOT_LOGGER, type LogLevel } from '@contract/logging';
import { renderApp } from '@/test/render';
import { problemResponse, testServer } from '@/test/server';
import type { View } from './test-kit';
import { APP, SERVICE, search } from './test-kit';

const LOGGERS_URL = `*${BASE_PATH}/logging/loggers`;
const LIMITER = APP_LOGGERS.rateLimiter;
const LOG4J2_TITLE = 'Log4j 2 (Jira 9.5 and newer)';
const SERVER_TITLE = "This console's own server (npm run serve), not Jira";
const NAME_ERROR = /^Enter a Java package or class name/;

/** Renders the console at `route` and waits for the loggers table. */
async function openLevels(route = '/logging/levels', as?: string) {
  const view = renderApp(route, { as });
  await screen.findByRole('table', { name: 'Loggers' });
  return view;
}

const loggersTable = () => screen.getByRole('table', { name: 'Loggers' });

/** The logger names of the rows, top to bottom. */
const rowNames = () =>
  within(loggersTable())
    .queryAllByRole('rowheader')
    .map((h) => h.textContent);

/** The row of a logger and its cells: configured level, effective level, actions. */
function rowOf(name: string) {
  const row = within(loggersTable()).getByRole('rowheader', { name }).closest('tr');
  if (!row) throw new Error(`no row for ${name}`);
  const [configured, effective, actions] = within(row).getAllByRole('cell');
  return { row, configured: configured!, effective: effective!, actions: actions! };
}

/** Node → configured level, as the backend's store holds it. */
async function storedLevels(view: View, name: string): Promise<Record<string, LogLevel | null>> {
  const store = view.host.store();
  const levels: Record<string, LogLevel | null> = {};
  for (const { id: node } of await store.listNodes()) {
    levels[node] = (await store.listLoggers(node)).find((l) => l.name === name)?.configuredLevel ?? null;
  }
  return levels;
}

async function openSetLevel(view: View, name: string) {
  await view.user.click(screen.getByRole('button', { name: `Set level of ${name}` }));
  return screen.findByRole('dialog', { name: `Set the level of ${name}` });
}

describe('Logging page', () => {
  it('redirects /logging to the Log levels tab', async () => {
    const view = renderApp('/logging');
    await screen.findByRole('table', { name: 'Loggers' });
    expect(view.router.state.location.pathname).toBe('/logging/levels');
    expect(screen.getByRole('tab', { name: 'Log levels' })).toHaveAttribute('aria-selected', 'true');
  });

  it('shows a loading state until the loggers arrive', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // Holds the request, then lets the demo backend answer it.
    testServer.use(http.get(LOGGERS_URL, () => gate));
    renderApp('/logging/levels');
    expect(await screen.findByText('Loading loggers…')).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Loggers' })).not.toBeInTheDocument();
    release();
    expect(await screen.findByRole('table', { name: 'Loggers' })).toBeInTheDocument();
    expect(screen.queryByText('Loading loggers…')).not.toBeInTheDocument();
  });

  it('shows an error with "Try again" when the loggers cannot be loaded, and recovers', async () => {
    testServer.use(http.get(LOGGERS_URL, () => problemResponse(500, 'It broke.'), { once: true }));
    const view = renderApp('/logging/levels');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Internal Server Error');
    expect(screen.queryByRole('table', { name: 'Loggers' })).not.toBeInTheDocument();
    await view.user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('table', { name: 'Loggers' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('lists ROOT first and the app loggers, with configured and effective levels', async () => {
    await openLevels();
    const names = rowNames();
    expect(names[0]).toBe(ROOT_LOGGER);
    expect(names).toEqual(expect.arrayContaining([APP, SERVICE, LIMITER, 'com.atlassian.jira']));

    expect(rowOf(ROOT_LOGGER).configured).toHaveTextContent(/^WARN$/);
    expect(rowOf(ROOT_LOGGER).effective).toHaveTextContent(/^WARN$/);

    const app = rowOf(APP);
    expect(app.configured).toHaveTextContent(/^INFO$/);
    expect(app.effective).toHaveTextContent(/^INFO$/);
    expect(within(app.effective).getByText('INFO')).not.toHaveClass('text-slate-600');

    // No level of its own: inherited from the app's package, dimmed.
    const service = rowOf(SERVICE);
    expect(service.configured).toHaveTextContent('— (inherited)');
    expect(service.effective).toHaveTextContent(`INFO (inherited from ${APP})`);
    const note = within(service.effective).getByText(`(inherited from ${APP})`);
    expect(note.parentElement).toHaveClass('text-slate-600');
    expect(note.parentElement).toHaveTextContent(/^INFO/);
  });

  it('shows "Nodes differ" with the level of each node for the rate limiter', async () => {
    await openLevels();
    const { configured, effective } = rowOf(LIMITER);
    expect(within(configured).getByText('Nodes differ')).toBeInTheDocument();
    expect(
      within(configured)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['node-1: —', 'node-2: DEBUG']);
    expect(within(effective).getByText('Nodes differ')).toBeInTheDocument();
    expect(
      within(effective)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([`node-1: INFO (from ${APP})`, 'node-2: DEBUG']);
    // A logger whose nodes agree does not say so.
    expect(within(rowOf(APP).row).queryByText('Nodes differ')).not.toBeInTheDocument();
  });

  it('filters by name, in the address', async () => {
    const view = await openLevels();
    await view.user.type(screen.getByRole('searchbox', { name: 'Filter by name' }), 'RateLimiter');
    await waitFor(() => expect(search(view).get('name')).toBe('RateLimiter'));
    expect(rowNames()).toEqual([LIMITER]);

    await view.user.clear(screen.getByRole('searchbox', { name: 'Filter by name' }));
    await waitFor(() => expect(search(view).has('name')).toBe(false));
    expect(rowNames()).toContain(ROOT_LOGGER);

    await view.user.type(screen.getByRole('searchbox', { name: 'Filter by name' }), 'no.such.logger');
    expect(rowNames()).toEqual([]);
    expect(screen.getByText(/No logger matches/)).toBeInTheDocument();
  });

  it('keeps the typed name filter applied, and in the address, when "Configured only" is ticked', async () => {
    const view = await openLevels();
    const name = screen.getByRole('searchbox', { name: 'Filter by name' });
    await view.user.type(name, 'apitokenauth');
    await view.user.click(screen.getByRole('checkbox', { name: 'Configured only' }));
    await waitFor(() => expect(search(view).get('configured')).toBe('true'));
    expect(search(view).get('name')).toBe('apitokenauth');
    expect(name).toHaveValue('apitokenauth');
    expect(rowNames()).toEqual([APP, LIMITER]);
  });

  it('reads the filters from the address', async () => {
    await openLevels('/logging/levels?name=apitokenauth');
    expect(rowNames()).toEqual([APP, SERVICE, LIMITER]);
    expect(screen.getByRole('searchbox', { name: 'Filter by name' })).toHaveValue('apitokenauth');
  });

  it('"Configured only" hides the loggers without a level of their own on any node', async () => {
    const view = await openLevels();
    expect(rowNames()).toContain(SERVICE);
    await view.user.click(screen.getByRole('checkbox', { name: 'Configured only' }));
    await waitFor(() => expect(search(view).get('configured')).toBe('true'));
    const names = rowNames();
    expect(names).not.toContain(SERVICE);
    expect(names).not.toContain('com.atlassian.jira.security');
    // Configured on one node only.
    expect(names).toEqual(expect.arrayContaining([ROOT_LOGGER, APP, LIMITER, 'com.atlassian.jira']));

    await view.user.click(screen.getByRole('checkbox', { name: 'Configured only' }));
    await waitFor(() => expect(search(view).has('configured')).toBe(false));
    expect(rowNames()).toContain(SERVICE);
  });

  it('sets a level on every node with the "Set level" dialog', async () => {
    const view = await openLevels();
    const dialog = await openSetLevel(view, SERVICE);
    // The dialog starts at INFO: the service has no level of its own.
    expect(within(dialog).getByRole('combobox', { name: 'Level' })).toHaveValue('INFO');
    await view.user.selectOptions(within(dialog).getByRole('combobox', { name: 'Level' }), 'DEBUG');
    await view.user.click(within(dialog).getByRole('button', { name: 'Set level' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await waitFor(() => expect(rowOf(SERVICE).configured).toHaveTextContent(/^DEBUG$/));
    expect(rowOf(SERVICE).effective).toHaveTextContent(/^DEBUG$/);
    expect(await storedLevels(view, SERVICE)).toEqual({ 'node-1': 'DEBUG', 'node-2': 'DEBUG' });
    expect(within(rowOf(SERVICE).row).queryByText(/Reverts to/)).not.toBeInTheDocument();
  });

  it('lists the cluster nodes with their state, and sets a level on one node only', async () => {
    const view = await openLevels();
    const nodes = screen.getByRole('table', { name: 'Cluster nodes' });
    const rows = within(nodes).getAllByRole('row').slice(1);
    const names = rows.map((r) => within(r).getByRole('rowheader').textContent ?? '');
    // The demo's balancer alternates the nodes, so either may have answered: exactly one says so.
    expect(names.map((name) => name.replace(/ \(this node\)$/, ''))).toEqual(['node-1', 'node-2']);
    expect(names.filter((name) => name.endsWith(' (this node)'))).toHaveLength(1);
    for (const row of rows) expect(within(row).getByText('Up')).toBeInTheDocument();

    const dialog = await openSetLevel(view, SERVICE);
    await view.user.selectOptions(within(dialog).getByRole('combobox', { name: 'Level' }), 'DEBUG');
    await view.user.selectOptions(within(dialog).getByRole('combobox', { name: 'Nodes' }), 'node-2');
    await view.user.click(within(dialog).getByRole('button', { name: 'Set level' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByText('On node-2, until restart.')).toBeInTheDocument();
    expect(await storedLevels(view, SERVICE)).toEqual({ 'node-1': null, 'node-2': 'DEBUG' });
    await waitFor(() => expect(rowOf(SERVICE).configured).toHaveTextContent('Nodes differ'));
  });

  it('shows a ticking countdown for a level set with "Revert after"', async () => {
    const view = await openLevels();
    const dialog = await openSetLevel(view, APP);
    expect(within(dialog).getByRole('combobox', { name: 'Level' })).toHaveValue('INFO');
    await view.user.selectOptions(within(dialog).getByRole('combobox', { name: 'Level' }), 'TRACE');
    await view.user.selectOptions(
      within(dialog).getByRole('combobox', { name: 'Revert after' }),
      '15 minutes',
    );
    await view.user.click(within(dialog).getByRole('button', { name: 'Set level' }));

    const countdown = await within(rowOf(APP).configured).findByText(/^Reverts to INFO in (15:00|14:5\d)$/);
    expect(rowOf(APP).configured).toHaveTextContent(/^TRACE/);
    expect(await storedLevels(view, APP)).toEqual({ 'node-1': 'TRACE', 'node-2': 'TRACE' });
    expect(await view.host.store().listLevelReverts()).toEqual([
      expect.objectContaining({ name: APP, previous: { 'node-1': 'INFO', 'node-2': 'INFO' } }),
    ]);
    const first = countdown.textContent;
    await waitFor(() => expect(countdown.textContent).not.toBe(first));
    expect(countdown).toHaveTextContent(/^Reverts to INFO in 14:5\d$/);
  });

  it('offers "Reset" only for loggers with a level of their own, never for ROOT', async () => {
    const view = await openLevels();
    expect(
      within(rowOf(ROOT_LOGGER).actions).getByRole('button', { name: /^Set level/ }),
    ).toBeInTheDocument();
    expect(within(rowOf(ROOT_LOGGER).actions).queryByRole('button', { name: /^Reset/ })).toBeNull();
    expect(within(rowOf(SERVICE).actions).queryByRole('button', { name: /^Reset/ })).toBeNull();

    await view.user.click(screen.getByRole('button', { name: `Reset ${LIMITER}` }));
    await waitFor(() => expect(rowOf(LIMITER).configured).toHaveTextContent('— (inherited)'));
    expect(await screen.findByText(`${LIMITER} inherits its level again`)).toBeInTheDocument();
    expect(rowOf(LIMITER).effective).toHaveTextContent(`INFO (inherited from ${APP})`);
    expect(within(rowOf(LIMITER).row).queryByText('Nodes differ')).not.toBeInTheDocument();
    expect(await storedLevels(view, LIMITER)).toEqual({ 'node-1': null, 'node-2': null });
    expect(screen.queryByRole('button', { name: `Reset ${LIMITER}` })).not.toBeInTheDocument();
  });

  it('configures another package: validates the name as typed, then adds it', async () => {
    const view = await openLevels();
    const form = screen.getByRole('heading', {
      name: 'Configure logging level for another package',
    }).parentElement!;
    const input = within(form).getByRole('textbox', { name: 'Package or class name' });

    await view.user.type(input, 'com..x');
    expect(within(form).getByText(NAME_ERROR)).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(NAME_ERROR);
    // Nothing is sent for an invalid name.
    await view.user.click(within(form).getByRole('button', { name: 'Configure' }));
    expect(await storedLevels(view, 'com..x')).toEqual({ 'node-1': null, 'node-2': null });

    await view.user.clear(input);
    expect(within(form).queryByText(NAME_ERROR)).not.toBeInTheDocument();
    await view.user.type(input, 'com.example.integration');
    expect(within(form).queryByText(NAME_ERROR)).not.toBeInTheDocument();
    expect(within(form).getByRole('combobox', { name: 'Level' })).toHaveValue('DEBUG');
    await view.user.click(within(form).getByRole('button', { name: 'Configure' }));

    await waitFor(() => expect(rowNames()).toContain('com.example.integration'));
    expect(rowOf('com.example.integration').configured).toHaveTextContent(/^DEBUG$/);
    expect(await storedLevels(view, 'com.example.integration')).toEqual({
      'node-1': 'DEBUG',
      'node-2': 'DEBUG',
    });
    await waitFor(() => expect(input).toHaveValue(''));

    const snippet = screen.getByLabelText(LOG4J2_TITLE);
    expect(snippet).toHaveTextContent(
      '<Logger name="com.example.integration" level="DEBUG" additivity="false">',
    );
  });

  it('shows the Log4j 2 snippet of the configured loggers and copies it', async () => {
    const view = await openLevels();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    const snippet = screen.getByLabelText(LOG4J2_TITLE);
    const text = snippet.textContent ?? '';
    expect(text).toContain('<!-- Logger for API Token Authentication -->');
    expect(text).toContain(`<Logger name="${APP}" level="INFO" additivity="false">`);
    expect(text).toContain('    <AppenderRef ref="filelog"/>');
    expect(text).not.toContain(SERVICE);
    expect(text).not.toContain('ROOT');

    await view.user.click(screen.getByRole('button', { name: `Copy ${LOG4J2_TITLE}` }));
    expect(writeText).toHaveBeenCalledWith(text);
    expect(await screen.findByText('Copied.')).toBeInTheDocument();

    const log4j1 = screen.getByLabelText('Log4j 1 (before Jira 9.5)');
    expect(log4j1).toHaveTextContent(`log4j.logger.${APP}=INFO, apitokenservice`);
    const server = screen.getByLabelText(SERVER_TITLE);
    expect(server.textContent).toMatch(new RegExp(`^ATC_LOG_LEVELS=(.+,)?${APP}=INFO(,|$)`));
  });

  it("offers the seed's example, the app's package at INFO, when no logger but ROOT has a level (as a server starts)", async () => {
    const inherited = (name: string) => ({
      name,
      nodes: [
        { node: 'node-1', configuredLevel: null, effectiveLevel: 'WARN', effectiveSource: ROOT_LOGGER },
      ],
      revertAt: null,
      revertTo: null,
    });
    testServer.use(
      http.get(LOGGERS_URL, () =>
        HttpResponse.json({
          nodes: [
            {
              id: 'node-1',
              state: 'up',
              address: null,
              version: null,
              startedAt: null,
              lastSeenAt: null,
            },
          ],
          thisNode: 'node-1',
          loggers: [
            {
              name: ROOT_LOGGER,
              nodes: [
                {
                  node: 'node-1',
                  configuredLevel: 'WARN',
                  effectiveLevel: 'WARN',
                  effectiveSource: ROOT_LOGGER,
                },
              ],
              revertAt: null,
              revertTo: null,
            },
            inherited(APP),
            inherited(SERVICE),
            inherited(LIMITER),
          ],
        }),
      ),
    );
    await openLevels();
    expect(
      screen.getByText(/No logger is configured on this page: this is the seed's example/),
    ).toBeVisible();
    expect(screen.getByLabelText(LOG4J2_TITLE)).toHaveTextContent(
      `<Logger name="${APP}" level="INFO" additivity="false">`,
    );
    expect(screen.getByLabelText('Log4j 1 (before Jira 9.5)')).toHaveTextContent(
      `log4j.logger.${APP}=INFO, apitokenservice`,
    );
    // ROOT at WARN is the server's default: only the app's package is named.
    expect(screen.getByLabelText(SERVER_TITLE).textContent).toBe(`ATC_LOG_LEVELS=${APP}=INFO`);
  });

  it('is read only for the auditor', async () => {
    await openLevels('/logging/levels', 'auditor');
    expect(
      screen.getByText('You can view the loggers and their entries but not change levels.'),
    ).toBeVisible();
    expect(screen.queryByRole('button', { name: /^Set level/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Reset/ })).not.toBeInTheDocument();
    expect(
      screen.queryByRole('heading', { name: 'Configure logging level for another package' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: 'Package or class name' })).not.toBeInTheDocument();
    // The levels and snippets are there to read.
    expect(rowOf(APP).configured).toHaveTextContent(/^INFO$/);
    expect(screen.getByLabelText(LOG4J2_TITLE)).toBeInTheDocument();
  });

  it('has no read-only notice for the administrator', async () => {
    await openLevels();
    expect(screen.queryByText(/but not change levels/)).not.toBeInTheDocument();
  });
});
