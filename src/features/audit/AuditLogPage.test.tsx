import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BASE_PATH } from '@contract/api';
import type { AuditRecord } from '@contract/audit';
import { formatDate, formatDateTime } from '@/lib/time';
import { renderApp } from '@/test/render';
import { problemResponse, testServer } from '@/test/server';

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

type View = ReturnType<typeof renderApp>;

const RECORDS_URL = `*${BASE_PATH}/audit/records`;

/**
 * jsdom lays nothing out, so the virtualised list would render no rows: give every element a size
 * (a 600 px viewport of 44 px rows).
 */
function stubLayout() {
  const proto = HTMLElement.prototype;
  const saved = (['offsetHeight', 'offsetWidth', 'clientHeight', 'clientWidth'] as const).map(
    (key) => [key, Object.getOwnPropertyDescriptor(proto, key)] as const,
  );
  const size = { offsetHeight: 600, offsetWidth: 1200, clientHeight: 600, clientWidth: 1200 };
  for (const [key] of saved) Object.defineProperty(proto, key, { configurable: true, get: () => size[key] });
  const rect = vi.spyOn(Element.prototype, 'getBoundingClientRect').mockReturnValue({
    x: 0,
    y: 0,
    top: 0,
    left: 0,
    bottom: 600,
    right: 1200,
    width: 1200,
    height: 600,
    toJSON: () => ({}),
  });
  return () => {
    for (const [key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(proto, key, descriptor);
      else delete (proto as unknown as Record<string, unknown>)[key];
    }
    rect.mockRestore();
  };
}

let restoreLayout: (() => void) | undefined;
beforeEach(() => {
  restoreLayout = stubLayout();
});
afterEach(() => {
  restoreLayout?.();
  vi.useRealTimers();
});

const recordsTable = () => screen.getByRole('table', { name: 'Audit records' });

/** The body rows of the virtualised table (the header row has aria-rowindex 1). */
const bodyRows = () =>
  within(recordsTable())
    .getAllByRole('row')
    .filter((r) => r.getAttribute('aria-rowindex') !== '1');

/** Renders the Audit Log as `as` and waits for the first page. */
async function openAudit(route = '/audit', as = 'auditor') {
  const view = renderApp(route, { as });
  await screen.findByText(/records loaded/);
  return view;
}

const search = (view: View) => new URLSearchParams(view.router.state.location.search);

/** New records, as the backend would append them now. */
function newRecords(view: View, count: number): Omit<AuditRecord, 'id'>[] {
  const { id: _id, ...template } = view.host.data().auditRecords[0]!;
  return Array.from({ length: count }, (_, k) => ({
    ...template,
    timestamp: new Date(Date.now() + k).toISOString(),
    summary: 'Permission denied' as const,
    details: { ...template.details, endpoint: `/rest/api/2/live-${k}` },
  }));
}

// ---------------------------------------------------------------------------------------------------
// States
// ---------------------------------------------------------------------------------------------------

describe('AuditLogPage: loading, rows, empty, error', () => {
  it('shows the loading state, then the newest records and how many are loaded', async () => {
    const view = renderApp('/audit?tz=utc', { as: 'auditor' });
    expect(await screen.findByText('Loading audit records…')).toBeInTheDocument();
    expect(await screen.findByText('200 records loaded (scroll for more).')).toBeInTheDocument();
    expect(screen.queryByText('Loading audit records…')).not.toBeInTheDocument();

    const rows = bodyRows();
    expect(rows.length).toBeGreaterThan(0);
    const newest = view.host.data().auditRecords[0]!;
    const first = rows.find((r) => r.getAttribute('aria-rowindex') === '2')!;
    expect(within(first).getByText(newest.summary)).toBeInTheDocument();
    expect(first.textContent).toContain('UTC');
    expect(within(recordsTable()).getByRole('columnheader', { name: 'Time (UTC)' })).toBeInTheDocument();
  });

  it('says so when no record matches the filters from the address bar', async () => {
    renderApp('/audit?q=zzzz-nothing', { as: 'auditor' });
    expect(await screen.findByText('No audit records match these filters')).toBeInTheDocument();
    expect(screen.getByText(/remove a filter/)).toBeInTheDocument();
    expect(screen.getByText('0 records loaded.')).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Audit records' })).not.toBeInTheDocument();
  });

  it('on a server without records, says there are none yet (no filter to remove)', async () => {
    renderApp('/audit?tz=utc', { as: 'auditor', auditRecords: 0 });
    const notice = (await screen.findByText('No audit records yet')).parentElement!;
    expect(notice).not.toHaveTextContent(/filter/i);
    expect(screen.getByRole('link', { name: 'Settings › Audit Logging' })).toHaveAttribute(
      'href',
      '/settings/audit-logging',
    );
  });

  it('shows an error with "Try again" that recovers', async () => {
    testServer.use(
      http.get(RECORDS_URL, () => problemResponse(500, 'The database is down.'), { once: true }),
    );
    const view = renderApp('/audit', { as: 'auditor' });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The database is down.');
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('200 records loaded (scroll for more).')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(bodyRows().length).toBeGreaterThan(0);
    expect(view.router.state.location.pathname).toBe('/audit');
  });

  it('tells a regular user they may not view the page', async () => {
    renderApp('/audit', { as: 'jdoe' });
    expect(await screen.findByText("You don't have permission to view this page.")).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Audit records' })).not.toBeInTheDocument();
  });
});

// ---------------------------------------------------------------------------------------------------
// Filter chips
// ---------------------------------------------------------------------------------------------------

describe('AuditLogPage: filter chips', () => {
  it('shows a chip per URL filter; removing one and "Clear all" update the address bar', async () => {
    const view = await openAudit(
      '/audit?author=admin&q=token&event=Permission+denied&event=Settings+changed&tz=utc',
    );
    const chips = screen.getByRole('list', { name: 'Active filters' });
    for (const label of [
      'Author: admin',
      'Search: token',
      'Event: Permission denied',
      'Event: Settings changed',
    ]) {
      expect(within(chips).getByText(label)).toBeInTheDocument();
    }

    fireEvent.click(screen.getByRole('button', { name: 'Remove filter Author: admin' }));
    await waitFor(() => expect(search(view).has('author')).toBe(false));
    expect(search(view).get('q')).toBe('token');
    expect(search(view).getAll('event')).toEqual(['Permission denied', 'Settings changed']);

    fireEvent.click(screen.getByRole('button', { name: 'Remove filter Event: Permission denied' }));
    await waitFor(() => expect(search(view).getAll('event')).toEqual(['Settings changed']));

    fireEvent.click(screen.getByRole('button', { name: 'Clear all' }));
    await waitFor(() => {
      expect(search(view).has('q')).toBe(false);
      expect(search(view).has('event')).toBe(false);
    });
    expect(screen.queryByRole('list', { name: 'Active filters' })).not.toBeInTheDocument();
    expect(await screen.findByText('200 records loaded (scroll for more).')).toBeInTheDocument();
  });

  it('applies a text filter as it is typed, and keeps it when another filter changes', async () => {
    const view = await openAudit('/audit?tz=utc');
    const author = screen.getByRole('searchbox', { name: 'Author' });
    await view.user.type(author, 'admin');
    expect(search(view).get('author')).toBe('admin');
    await view.user.selectOptions(screen.getByRole('combobox', { name: 'Category' }), 'Logging');

    expect(search(view).get('author')).toBe('admin');
    expect(search(view).get('category')).toBe('Logging');
    expect(author).toHaveValue('admin');
    expect(
      within(screen.getByRole('list', { name: 'Active filters' })).getByText('Author: admin'),
    ).toBeVisible();
  });

  it('applies nothing while a typed source IP is not valid, and says why next to the field', async () => {
    const view = await openAudit('/audit?tz=utc');
    const ip = screen.getByRole('searchbox', { name: 'Source IP' });
    await view.user.type(ip, '10.0.');
    expect(ip).toHaveAttribute('aria-invalid', 'true');
    expect(ip).toHaveAccessibleDescription(
      '"10.0." is not a valid IP address (e.g. 203.0.113.7 or 2001:db8::1).',
    );
    expect(search(view).has('ip')).toBe(false);
    await view.user.type(ip, '0.0/8');
    expect(search(view).get('ip')).toBe('10.0.0.0/8');
  });

  it('shows a custom range with its zone', async () => {
    await openAudit('/audit?range=custom&from=2026-03-01&to=2026-03-08T10:15&tz=utc');
    const chips = screen.getByRole('list', { name: 'Active filters' });
    // In the console's one date format (src/lib/time.ts), naming the zone.
    expect(
      within(chips).getByText(`From ${formatDate('2026-03-01T00:00:00.000Z', 'UTC')} (UTC)`),
    ).toBeInTheDocument();
    expect(
      within(chips).getByText(`To ${formatDateTime('2026-03-08T10:15:00.000Z', 'UTC')}`),
    ).toBeInTheDocument();
  });
});

describe('AuditLogPage: the filter panel', () => {
  const eventsButton = () => screen.getByRole('button', { name: /^Events/ });

  it('opens the events list in place, and closes it on Escape (focus back on its button)', async () => {
    const view = await openAudit('/audit?tz=utc');
    expect(eventsButton()).toHaveAttribute('aria-expanded', 'false');
    await view.user.click(eventsButton());
    expect(eventsButton()).toHaveAttribute('aria-expanded', 'true');
    const list = screen.getByRole('group', { name: 'Events' });
    await view.user.click(within(list).getByLabelText('Permission denied'));
    // Ticking an event keeps the list open.
    expect(screen.getByRole('group', { name: 'Events' })).toBeInTheDocument();
    expect(search(view).getAll('event')).toEqual(['Permission denied']);
    expect(eventsButton()).toHaveAccessibleName(/^Events \(1\)/);

    await view.user.keyboard('{Escape}');
    expect(screen.queryByRole('group', { name: 'Events' })).not.toBeInTheDocument();
    expect(eventsButton()).toHaveFocus();
  });

  it('closes the events list on a click outside it', async () => {
    const view = await openAudit('/audit?tz=utc');
    await view.user.click(eventsButton());
    expect(screen.getByRole('group', { name: 'Events' })).toBeInTheDocument();
    await view.user.click(screen.getByRole('searchbox', { name: 'Source IP' }));
    expect(screen.queryByRole('group', { name: 'Events' })).not.toBeInTheDocument();
    expect(screen.getByRole('searchbox', { name: 'Source IP' })).toHaveFocus();
  });

  it('filters by the username an authentication event names, with its chip', async () => {
    const view = await openAudit('/audit?tz=utc');
    await view.user.type(screen.getByRole('searchbox', { name: 'Username' }), 'jdoe');
    expect(search(view).get('username')).toBe('jdoe');
    expect(
      within(screen.getByRole('list', { name: 'Active filters' })).getByText('Username: jdoe'),
    ).toBeVisible();
    await waitFor(() => expect(bodyRows().length).toBeGreaterThan(0));
    const expected = view.host.data().auditRecords.find((r) => r.details.username === 'jdoe')!;
    expect(bodyRows()[0]!).toHaveTextContent(expected.summary);
  });

  it('counts the filters in effect on the button that shows them on a phone', async () => {
    await openAudit('/audit?tz=utc&author=admin&event=Settings+changed&range=7d');
    const toggle = screen.getByRole('button', { name: /^Filters \(3\)/ });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    expect(toggle).toHaveAttribute('aria-controls', 'audit-filters');
    fireEvent.click(toggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'true');
  });
});

describe('AuditLogPage: the timeline', () => {
  it('folds away, and stays folded when the page is opened again', async () => {
    const view = await openAudit('/audit?range=7d&tz=utc');
    const hide = await screen.findByRole('button', { name: 'Hide timeline' });
    expect(hide).toHaveAttribute('aria-expanded', 'true');
    await screen.findByRole('img', { name: /^Timeline of/ });
    await view.user.click(hide);
    expect(screen.queryByRole('img', { name: /^Timeline of/ })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Show timeline' })).toHaveAttribute('aria-expanded', 'false');
    expect(localStorage.getItem('api-token-console.preferences')).toContain('"timelineHidden":true');

    await view.router.navigate('/overview');
    await view.router.navigate('/audit?range=7d&tz=utc');
    expect(await screen.findByRole('button', { name: 'Show timeline' })).toBeInTheDocument();
    await screen.findByText(/records loaded/);
    expect(screen.queryByRole('img', { name: /^Timeline of/ })).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Show timeline' }));
    expect(await screen.findByRole('img', { name: /^Timeline of/ })).toBeInTheDocument();
  });

  it('on a fresh server, "Any time" spans the few minutes that have records, per minute', async () => {
    const view = renderApp('/audit?tz=utc', { as: 'auditor', auditRecords: 0 });
    await screen.findByText('No audit records yet');
    const template: Omit<AuditRecord, 'id'> = {
      timestamp: '',
      author: { username: 'admin', displayName: 'Alice Admin' },
      category: 'API Token Authentication',
      summary: 'Settings changed',
      affectedObjects: [],
      changedValues: [],
      source: { clientIp: '10.0.0.1', proxyIp: null, nodeId: 'node-1', method: 'PUT' },
      details: {},
    };
    const now = Date.now();
    await view.host
      .store()
      .appendAuditRecords(
        [5, 3, 1].map((m) => ({ ...template, timestamp: new Date(now - m * 60_000).toISOString() })),
      );
    await view.queryClient.resetQueries();

    const heading = await screen.findByRole('heading', { name: /^Timeline — 3 records/ });
    expect(heading).toHaveAccessibleName('Timeline — 3 records, per minute (UTC)');
    await view.user.click(screen.getByText('Show the timeline as a table'));
    const rows = within(screen.getByRole('table', { name: 'Audit records per minute' })).getAllByRole('row');
    // The first bucket holds the first record: the axis starts there, not 90 days before.
    expect(within(rows[1]!).getAllByRole('cell').at(-1)).toHaveTextContent('1');
    expect(rows.length - 1).toBeLessThanOrEqual(7);
  });
});

// ---------------------------------------------------------------------------------------------------
// Details
// ---------------------------------------------------------------------------------------------------

describe('AuditLogPage: record details', () => {
  it('opens a record from the URL, copies its link, and closing removes it from the URL', async () => {
    const view = renderApp('/audit?tz=utc', { as: 'auditor' });
    const record = view.host.data().auditRecords.find((r) => r.source.clientIp && r.source.proxyIp)!;
    // As a shared link opened in the console.
    await view.router.navigate(`/audit?tz=utc&record=${record.id}`);

    const panel = await screen.findByRole('complementary', { name: `Audit record ${record.id}` });
    expect(await within(panel).findByText('Raw JSON')).toBeInTheDocument();

    const valueOf = (label: string) => within(panel).getByText(label).nextElementSibling;
    expect(valueOf('Client IP address')?.tagName).toBe('DD');
    expect(valueOf('Client IP address')).toHaveTextContent(record.source.clientIp!);
    expect(valueOf('Load balancer/proxy IP address')).toHaveTextContent(record.source.proxyIp!);
    expect(valueOf('Event')).toHaveTextContent(record.summary);
    expect(within(panel).getByText(new RegExp(`"id": "${record.id}"`))).toBeInTheDocument();

    const writeText = vi.fn().mockResolvedValue(undefined);
    const clipboard = Object.getOwnPropertyDescriptor(navigator, 'clipboard');
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    try {
      fireEvent.click(within(panel).getByRole('button', { name: 'Copy link' }));
      expect(await within(panel).findByText('Link copied.')).toBeInTheDocument();
      expect(writeText).toHaveBeenCalledWith(`${window.location.origin}/audit?record=${record.id}&tz=utc`);
    } finally {
      if (clipboard) Object.defineProperty(navigator, 'clipboard', clipboard);
    }

    // The list is there beside the details.
    await screen.findByText(/records loaded/);

    fireEvent.click(within(panel).getByRole('button', { name: 'Close details' }));
    await waitFor(() => expect(search(view).has('record')).toBe(false));
    expect(search(view).get('tz')).toBe('utc');
    expect(screen.queryByRole('complementary', { name: /Audit record/ })).not.toBeInTheDocument();
  });

  it('names the credential a token was created with', async () => {
    const view = renderApp('/audit', { as: 'admin' });
    const created = await view.host.handle(
      new Request(`http://localhost${BASE_PATH}/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          description: 'Deploy bot',
          scope: 'READ_ONLY',
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          ipRestrictions: [],
        }),
      }),
    );
    expect(created.status).toBe(201);
    const listed = await view.host.handle(new Request(`http://localhost${BASE_PATH}/audit/records?limit=1`));
    const [record] = ((await listed.json()) as { records: AuditRecord[] }).records;
    await view.router.navigate(`/audit?record=${record!.id}`);
    const panel = await screen.findByRole(
      'complementary',
      { name: `Audit record ${record!.id}` },
      { timeout: 10_000 },
    );
    expect(await within(panel).findByText('Credential')).toBeInTheDocument();
    expect(within(panel).getByText('Credential').nextElementSibling).toHaveTextContent(
      'Signed in to the console',
    );
  });

  it('opens the record given in the initial URL; Escape closes it', async () => {
    const view = renderApp('/audit', { as: 'auditor' });
    // A record that came through the load balancer: its panel names both addresses.
    const id = view.host.data().auditRecords.find((r) => r.source.proxyIp !== null)!.id;
    view.unmount();
    renderApp(`/audit?record=${id}`, { as: 'auditor' });
    const panel = await screen.findByRole('complementary', { name: `Audit record ${id}` });
    expect(await within(panel).findByText('Client IP address')).toBeInTheDocument();
    expect(within(panel).getByText('Load balancer/proxy IP address')).toBeInTheDocument();

    fireEvent.keyDown(within(panel).getByRole('heading', { name: `Audit record ${id}` }), { key: 'Escape' });
    await waitFor(() =>
      expect(screen.queryByRole('complementary', { name: /Audit record/ })).not.toBeInTheDocument(),
    );
  });
});

describe('AuditLogPage: what the details show', () => {
  /** Opens the first seeded record that `pick` chooses; returns its panel once its fields are there. */
  async function openRecord(pick: (record: AuditRecord) => boolean) {
    const view = renderApp('/audit?tz=utc', { as: 'auditor' });
    const record = view.host.data().auditRecords.find(pick)!;
    await view.router.navigate(`/audit?tz=utc&record=${record.id}`);
    const panel = await screen.findByRole('complementary', { name: `Audit record ${record.id}` });
    await within(panel).findByText('Raw JSON');
    return { panel, record };
  }

  it('shows only the fields a record has: a settings change has no token fields and no dashes', async () => {
    const { panel } = await openRecord((r) => r.summary === 'Settings changed');
    expect(within(panel).getByRole('heading', { name: 'Changed values' })).toBeInTheDocument();
    for (const label of ['Token ID', 'Token description', 'Scope', 'REST endpoint', 'Reason of failure']) {
      expect(within(panel).queryByText(label)).not.toBeInTheDocument();
    }
    expect(within(panel).queryByRole('heading', { name: 'Details' })).not.toBeInTheDocument();
    expect(within(panel).queryByText('—')).not.toBeInTheDocument();
  });

  it('a failed bearer attempt says its username is unknown, rather than showing nothing', async () => {
    const { panel } = await openRecord(
      (r) =>
        r.summary === 'Failed API token bearer authentication attempt' &&
        !r.details.username &&
        r.affectedObjects.length === 0,
    );
    expect(within(panel).getByText('Unknown (a failed bearer attempt names no user)')).toBeInTheDocument();
    // Nothing affected: no label with an empty value.
    expect(within(panel).queryByText('Affected objects')).not.toBeInTheDocument();
  });

  it('notes the Confluence address swap only on a record with a load balancer/proxy address', async () => {
    const swapped = /Confluence shows these two addresses the other way round/;
    const withProxy = await openRecord((r) => r.source.proxyIp !== null);
    expect(within(withProxy.panel).getByText(swapped)).toBeInTheDocument();
    cleanup();
    const direct = await openRecord((r) => r.source.proxyIp === null && r.source.clientIp !== null);
    expect(within(direct.panel).queryByText(swapped)).not.toBeInTheDocument();
    expect(within(direct.panel).queryByText('Load balancer/proxy IP address')).not.toBeInTheDocument();
  });

  it('puts "Copy link" with the record, not on the Raw JSON heading', async () => {
    const { panel } = await openRecord(() => true);
    const raw = within(panel).getByRole('heading', { name: 'Raw JSON' }).closest('section')!;
    expect(within(raw).queryByRole('button', { name: 'Copy link' })).not.toBeInTheDocument();
    const title = within(panel).getByRole('heading', { level: 2 });
    expect(title.parentElement).toContainElement(within(panel).getByRole('button', { name: 'Copy link' }));
  });

  it.each(['ar-999999999', 'AR-1'])('says so when the linked record %s does not exist', async (id) => {
    renderApp(`/audit?record=${id}`, { as: 'auditor' });
    const panel = await screen.findByRole('complementary', { name: `Audit record ${id}` });
    const alert = await within(panel).findByRole('alert');
    expect(alert).toHaveTextContent('No such audit record');
    expect(alert).toHaveTextContent(`There is no audit record ${id}: the link may be mistyped`);
    expect(within(panel).queryByRole('button', { name: 'Copy link' })).not.toBeInTheDocument();
  });
});

// ---------------------------------------------------------------------------------------------------
// Live banner
// ---------------------------------------------------------------------------------------------------

describe('AuditLogPage: live updates', () => {
  it('tells about new records without changing the rows already shown', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const view = await openAudit('/audit?tz=utc');
    const firstRowText = bodyRows()[0]!.textContent;
    expect(screen.queryByText(/new records?$/)).not.toBeInTheDocument();

    await view.host.store().appendAuditRecords(newRecords(view, 3));
    await vi.advanceTimersByTimeAsync(5_500);

    expect(await screen.findByText('3 new records')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Show new records' })).toBeInTheDocument();
    expect(bodyRows()[0]!.textContent).toBe(firstRowText);
    expect(screen.getByText('200 records loaded (scroll for more).')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Show new records' }));
    await waitFor(() => expect(bodyRows()[0]!.textContent).toContain('Permission denied'));
    await waitFor(() => expect(screen.queryByText('3 new records')).not.toBeInTheDocument());
  });

  it('"Pause live updates" stops the banner', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const view = await openAudit('/audit');
    const pause = screen.getByRole('button', { name: 'Pause live updates' });
    expect(pause).toHaveAttribute('aria-pressed', 'false');
    fireEvent.click(pause);
    const resume = screen.getByRole('button', { name: 'Resume live updates' });
    expect(resume).toHaveAttribute('aria-pressed', 'true');

    const requests: string[] = [];
    const onRequest = ({ request }: { request: Request }) => void requests.push(request.url);
    testServer.events.on('request:start', onRequest);
    try {
      await view.host.store().appendAuditRecords(newRecords(view, 2));
      await vi.advanceTimersByTimeAsync(11_000);
      expect(screen.queryByText(/new records?$/)).not.toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Show new records' })).not.toBeInTheDocument();
      expect(requests.filter((url) => url.includes('after='))).toEqual([]);

      // Resuming shows what arrived meanwhile, at the next poll.
      fireEvent.click(resume);
      expect(screen.getByRole('button', { name: 'Pause live updates' })).toHaveAttribute(
        'aria-pressed',
        'false',
      );
      await vi.advanceTimersByTimeAsync(5_500);
      expect(await screen.findByText('2 new records')).toBeInTheDocument();
    } finally {
      testServer.events.removeListener('request:start', onRequest);
    }
  });
});

describe('AuditLogPage: export', () => {
  it('shows the progress against the total the server announces', async () => {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    testServer.use(
      http.get(`*${BASE_PATH}/audit/export`, () => {
        const encoder = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(encoder.encode('id,summary\r\nar-1,Permission denied\r\n'));
            await finished;
            controller.enqueue(encoder.encode('ar-2,Permission denied\r\n'));
            controller.close();
          },
        });
        return new HttpResponse(body, {
          headers: { 'content-type': 'text/csv; charset=utf-8', 'x-total-count': '2' },
        });
      }),
    );
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:export');
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const view = await openAudit();

    await view.user.click(screen.getByRole('button', { name: 'Export' }));
    expect(await screen.findByText('Exporting… 1 of 2 records')).toBeInTheDocument();
    finish();
    expect(await screen.findByText('Exported 2 records.')).toBeInTheDocument();
  });

  it('counts the exported records, not the line breaks inside their cells', async () => {
    const csv =
      'id,timestamp,summary,description\r\n' +
      'ar-1,2026-03-08T10:00:00Z,API token created,"line one\r\nline two"\r\n' +
      'ar-2,2026-03-08T10:01:00Z,API token revoked,"said ""no""\nthen left"\r\n';
    testServer.use(
      http.get(`*${BASE_PATH}/audit/export`, () =>
        HttpResponse.text(csv, { headers: { 'content-type': 'text/csv; charset=utf-8' } }),
      ),
    );
    const createObjectURL = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:export');
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const view = await openAudit();

    await view.user.click(screen.getByRole('button', { name: 'Export' }));
    expect(await screen.findByText('Exported 2 records.')).toBeInTheDocument();
    expect(createObjectURL).toHaveBeenCalledOnce();
  });
});
