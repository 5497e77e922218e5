import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { BASE_PATH } from '@contract/api';
import { formatLogLine } from '@contract/log-line';
import { renderApp } from '@/test/render';
import { errorResponse } from '../../../backend/http/problem';
import { testServer } from '@/test/server';
import { APP, SERVICE, search } from './test-kit';

describe('Log entries tab', () => {
  const entriesTable = () => screen.getByRole('table', { name: 'Log entries' });
  const bodyRows = () => within(entriesTable()).getAllByRole('row').slice(1) as HTMLTableRowElement[];

  async function openEntries(route = '/logging/entries') {
    const view = renderApp(route);
    await screen.findByRole('table', { name: 'Log entries' });
    return view;
  }

  it('reads one chosen node, or every node merged, and names a node that is down', async () => {
    const view = renderApp('/logging/entries');
    const store = view.host.store();
    const lastSeenAt = '2026-11-25T09:30:00.000Z';
    vi.spyOn(store, 'listNodes').mockResolvedValue([
      { id: 'node-1', state: 'up', address: null, version: null, startedAt: null, lastSeenAt: null },
      { id: 'node-2', state: 'down', address: null, version: null, startedAt: null, lastSeenAt },
    ]);
    await screen.findByRole('table', { name: 'Log entries' });
    const nodeOf = () => new Set(bodyRows().map((r) => r.cells[3]!.textContent));
    const node = screen.getByRole('combobox', { name: 'Node' });
    expect(
      within(node)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual([
      'All nodes',
      expect.stringMatching(/^node-1( \(this node\))?$/),
      expect.stringMatching(/^node-2( \(this node\))? \(down\)$/),
    ]);
    // Every node's lines merged by time, the one that is down named above them.
    expect(await screen.findByText('node-2 is down')).toBeInTheDocument();
    expect(screen.getByText(/its entries end there/)).toHaveTextContent(
      /^Last seen .+: its entries end there\.$/,
    );
    await waitFor(() => expect(nodeOf()).toEqual(new Set(['node-1', 'node-2'])));
    const merged = (await store.listLogEntries({ limit: 100 })).items;
    expect(bodyRows()).toHaveLength(merged.length);

    await view.user.selectOptions(node, 'node-2');
    expect(search(view).get('node')).toBe('node-2');
    await waitFor(() => expect(nodeOf()).toEqual(new Set(['node-2'])));
    expect(screen.getByText('node-2 is down')).toBeInTheDocument();

    await view.user.selectOptions(node, 'node-1');
    await waitFor(() => expect(nodeOf()).toEqual(new Set(['node-1'])));
    expect(screen.queryByText('node-2 is down')).not.toBeInTheDocument();

    await view.user.selectOptions(node, 'All nodes');
    expect(search(view).get('node')).toBeNull();
    await waitFor(() => expect(nodeOf()).toEqual(new Set(['node-1', 'node-2'])));
  });

  it('says the database cannot be reached when the server answers so (503), and tries again', async () => {
    const unreachable = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), {
      code: 'ECONNREFUSED',
    });
    testServer.use(
      http.get(
        `*${BASE_PATH}/logging/entries`,
        ({ request }) => errorResponse(unreachable, 'server', request),
        {
          once: true,
        },
      ),
    );
    const view = renderApp('/logging/entries');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Service Unavailable');
    expect(alert).toHaveTextContent('The database cannot be reached. Try again in a moment.');
    await view.user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('table', { name: 'Log entries' })).toBeInTheDocument();
  });

  it('lists the entries newest first with time, level, logger, node and message', async () => {
    const view = await openEntries();
    const expected = (await view.host.store().listLogEntries({ limit: 100 })).items;
    const rows = bodyRows();
    expect(rows).toHaveLength(expected.length);
    for (const [i, entry] of expected.slice(0, 10).entries()) {
      const [time, level, logger, node, message] = rows[i]!.cells;
      expect(time!.textContent).toMatch(/\d{1,2}:\d{2}:\d{2}/);
      expect(level).toHaveTextContent(entry.level);
      // Packages shortened to their initials (the message gets the width), the name in full on hover.
      expect(within(logger!).getByTitle(entry.logger)).toHaveTextContent(
        entry.logger.replace(/\w+\./g, (part) => `${part[0]}.`),
      );
      expect(node).toHaveTextContent(entry.node);
      expect(message).toHaveTextContent(entry.message);
    }
    // Newest first.
    const times = expected.map((e) => Date.parse(e.timestamp));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('applies the logger filter as it is typed, and keeps it when a level is ticked', async () => {
    const view = await openEntries();
    const logger = screen.getByRole('searchbox', { name: 'Logger' });
    await view.user.type(logger, 'de.resolution');
    expect(search(view).get('logger')).toBe('de.resolution');
    await view.user.click(screen.getByRole('checkbox', { name: 'WARN' }));
    expect(search(view).get('logger')).toBe('de.resolution');
    expect(search(view).getAll('level')).toEqual(['WARN']);
    expect(logger).toHaveValue('de.resolution');
  });

  it('filters by level in the address', async () => {
    const view = await openEntries();
    await view.user.click(screen.getByRole('checkbox', { name: 'INFO' }));
    await waitFor(() => expect(search(view).getAll('level')).toEqual(['INFO']));
    await waitFor(() => expect(bodyRows().every((r) => r.cells[1]!.textContent === 'INFO')).toBe(true));
    const expected = (await view.host.store().listLogEntries({ level: ['INFO'], limit: 100 })).items;
    expect(bodyRows()).toHaveLength(expected.length);
    expect(bodyRows()[0]!.cells[4]).toHaveTextContent(expected[0]!.message);
  });

  it('says so when no entry matches, without asking for INFO when the package is at INFO', async () => {
    const view = renderApp('/logging/entries?q=no-such-message-anywhere');
    expect(await screen.findByText('No log entries match these filters')).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Log entries' })).not.toBeInTheDocument();
    const loggers = await view.host.store().listLoggers('node-1');
    expect(loggers.find((l) => l.name === APP)?.configuredLevel).toBe('INFO');
    expect(screen.queryByText(/set de.resolution.apitokenauth to INFO/)).not.toBeInTheDocument();
  });

  it.each([
    ['INFO', 'Lines appear here as requests are authenticated.'],
    ['WARN', `set ${APP} to INFO on the Log levels tab`],
  ] as const)('on an empty log with the package at %s, says "%s"', async (level, text) => {
    testServer.use(
      http.get(`*${BASE_PATH}/logging/entries`, () => HttpResponse.json({ entries: [], nextCursor: null })),
    );
    const view = renderApp('/logging/entries');
    for (const { id: node } of await view.host.store().listNodes())
      await view.host.store().setLoggerLevel(node, APP, level);
    expect(await screen.findByText('No log entries yet')).toBeInTheDocument();
    expect(await screen.findByText(new RegExp(text))).toBeInTheDocument();
  });

  it('"Follow" shows new lines as they are written, until paused', async () => {
    const view = await openEntries();
    const follow = screen.getByRole('button', { name: 'Follow' });
    await view.user.click(follow);
    expect(follow).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByText(/Following: new lines appear at the top/)).toBeInTheDocument();
    await view.host.store().appendLogEntries([
      {
        timestamp: new Date().toISOString(),
        level: 'INFO',
        logger: SERVICE,
        node: 'node-1',
        thread: 'http-nio-8080-exec-1',
        username: 'jdoe',
        clientIp: '203.0.113.9',
        url: '/rest/api/2/myself',
        message: 'A line written while following',
      },
    ]);
    // No click: the list asks for new lines by itself.
    expect(await within(entriesTable()).findByText('A line written while following')).toBeInTheDocument();
    expect(bodyRows()[0]!).toHaveTextContent('A line written while following');
    await view.user.click(screen.getByRole('button', { name: 'Pause following' }));
    expect(screen.getByRole('button', { name: 'Follow' })).toHaveAttribute('aria-pressed', 'false');
    expect(screen.queryByText(/Following:/)).not.toBeInTheDocument();
  });

  it('"Download" saves every filtered line (not only those loaded) in the log file format', async () => {
    const saved: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      saved.push(blob as Blob);
      return 'blob:log';
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const view = await openEntries('/logging/entries?level=INFO');
    await view.user.click(screen.getByRole('button', { name: 'Download' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    const expected = (await view.host.store().listLogEntries({ level: ['INFO'], limit: 100_000 })).items;
    expect(expected.length).toBeGreaterThan(100);
    const lines = (await saved[0]!.text()).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toEqual(expected.map((e) => formatLogLine(e)));
    expect(click.mock.contexts[0]).toHaveProperty('download', expect.stringMatching(/^log-entries-.*\.log$/));
  });

  it('goes on searching older entries when the server ends a page before it found any', async () => {
    // The real server reads its log file a part at a time; the first part had no match.
    const cursors: (string | null)[] = [];
    testServer.use(
      http.get(`*${BASE_PATH}/logging/entries`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        cursors.push(cursor);
        return HttpResponse.json(
          cursor === null
            ? { entries: [], nextCursor: 'le-000000033554432' }
            : {
                entries: [
                  {
                    id: 'le-000000000001234',
                    timestamp: '2026-11-20T08:00:00.000Z',
                    level: 'INFO',
                    logger: SERVICE,
                    node: 'node-1',
                    thread: 'http-nio-8080-exec-7',
                    username: 'jdoe',
                    clientIp: '203.0.113.7',
                    url: '/rest/api/2/myself',
                    message: 'An old needle in the log',
                  },
                ],
                nextCursor: null,
              },
        );
      }),
    );
    const view = renderApp('/logging/entries?q=needle');
    expect(await screen.findByText('No matches yet')).toBeInTheDocument();
    expect(screen.queryByText('No log entries match')).not.toBeInTheDocument();
    await view.user.click(screen.getByRole('button', { name: 'Search older entries' }));
    const table = await screen.findByRole('table', { name: 'Log entries' });
    expect(within(table).getByText('An old needle in the log')).toBeInTheDocument();
    expect(cursors).toEqual([null, 'le-000000033554432']);
    expect(screen.queryByRole('button', { name: /older entries/ })).not.toBeInTheDocument();
    // The button went away with the notice: the keyboard is on the entries, not lost.
    await waitFor(() => expect(table).toHaveFocus());
  });

  it('says so when the level filter matches nothing', async () => {
    const view = await openEntries();
    await view.user.click(screen.getByRole('checkbox', { name: 'TRACE' }));
    await waitFor(() => expect(search(view).getAll('level')).toEqual(['TRACE']));
    expect(await screen.findByText('No log entries match these filters')).toBeInTheDocument();
  });
});
