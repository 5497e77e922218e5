import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { BASE_PATH } from '@contract/api';
import { renderApp, saveSettingsBehindTheScenes } from '@/test/render';
import { problemResponse, testServer } from '@/test/server';

// ---------------------------------------------------------------------------------------------
// Labels, as the user reads them
// ---------------------------------------------------------------------------------------------

const BASIC_GATE = 'Disable basic authentication with regular passwords';
const BEARER_GATE = 'Disable bearer authentication with other authenticators';
const OPTIONS = {
  successful: 'Successful Authentication',
  failedBasic: 'Audit-log failed API token basic authentication attempts',
  failedBearer: 'Audit-log failed API token bearer authentication attempts',
  failedVerification: 'Audit-log failed API token verification',
  permissionDenied: 'Permission Denied',
} as const;
const SETTINGS_URL = `*${BASE_PATH}/settings`;
const CONFLICT_TITLE = 'Someone else saved the settings while you were editing';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

type View = ReturnType<typeof renderApp>;

/** Renders the console at `route` and waits until the settings form is on screen. */
async function openSettings(route = '/settings/authentication', as?: string) {
  const view = renderApp(route, { as });
  await screen.findByRole('tabpanel');
  return view;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A tab by its label, whether or not it is marked "(unsaved changes)". */
function tab(label: string) {
  return screen.getByRole('tab', { name: new RegExp(`^${escape(label)}`) });
}

async function openTab(view: View, label: string) {
  await view.user.click(tab(label));
  await waitFor(() => expect(tab(label)).toHaveAttribute('aria-selected', 'true'));
}

/** The accessible name of an option marked "Unavailable". */
const unavailable = (label: string) => new RegExp(`^${escape(label)}\\s*Unavailable$`);

/** A switch by its label, whether or not it is marked "Unavailable". */
function switchNamed(label: string) {
  return screen.getByRole('switch', { name: new RegExp(`^${escape(label)}(\\s*Unavailable)?$`) });
}

/** Whether a tab's name carries the "(unsaved changes)" mark. */
function expectTabMarked(label: string, marked: boolean) {
  expect(tab(label)).toHaveAccessibleName(
    marked ? new RegExp(`^${escape(label)}\\s*\\(unsaved changes\\)$`) : label,
  );
}

/** The block of one switch: its label, description, reason and warnings. */
function switchBlock(label: string) {
  return switchNamed(label).parentElement!;
}

function field(label: string) {
  return screen.getByRole('spinbutton', { name: label });
}

/** The sticky bar at the bottom of the form: its status line and buttons. */
function saveBar() {
  const save = screen.getByRole('button', { name: /^(Save|Saving…)$/ });
  const bar = save.closest('div')!.parentElement!;
  return {
    save,
    revert: within(bar).getByRole('button', { name: 'Revert' }),
    status: bar.firstElementChild as HTMLElement,
  };
}

async function typeNumber(view: View, label: string, value: string) {
  await view.user.clear(field(label));
  await view.user.type(field(label), value);
}

/** Its limits can be edited only while rate limiting is on. */
async function turnOnRateLimiting(view: View) {
  const rateLimiting = screen.getByRole('switch', { name: 'Rate limiting' });
  if (rateLimiting.getAttribute('aria-checked') !== 'true') await view.user.click(rateLimiting);
}

/** Every PUT /settings the console sends from now on. */
function recordSettingsPuts() {
  const puts: Request[] = [];
  const listener = ({ request }: { request: Request }) => {
    if (request.method === 'PUT' && new URL(request.url).pathname === `${BASE_PATH}/settings`) {
      puts.push(request);
    }
  };
  testServer.events.on('request:start', listener);
  onTestFinished(() => void testServer.events.removeListener('request:start', listener));
  return puts;
}

const savedSettings = (view: View) => view.host.store().getSettings();

/** The save bar says the save went through (where the user pressed Save, not in a notification over it). */
async function expectSaved(turnedOff = '') {
  await waitFor(() => expect(saveBar().status).toHaveTextContent(`Settings saved.${turnedOff}`));
}

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

describe('Settings page, clean', () => {
  it('opens on the Authentication tab, each tab has its own address, and nothing can be saved yet', async () => {
    const view = renderApp('/settings');
    await screen.findByRole('tabpanel');
    expect(view.router.state.location.pathname).toBe('/settings/authentication');

    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual([
      'Authentication',
      'Permissions',
      'Audit Logging',
    ]);
    expect(tab('Authentication')).toHaveAttribute('aria-selected', 'true');

    const { save, revert, status } = saveBar();
    expect(save).toBeDisabled();
    expect(revert).toBeDisabled();
    expect(status).toHaveTextContent('No unsaved changes.');
    expect(screen.getByRole('switch', { name: BASIC_GATE })).not.toBeChecked();
    expect(screen.getByRole('switch', { name: BEARER_GATE })).not.toBeChecked();

    await openTab(view, 'Permissions');
    expect(view.router.state.location.pathname).toBe('/settings/permissions');
    expect(await screen.findByRole('heading', { name: 'Use API tokens' })).toBeInTheDocument();

    await openTab(view, 'Audit Logging');
    expect(view.router.state.location.pathname).toBe('/settings/audit-logging');
    expect(screen.getByRole('heading', { name: 'Authentication events' })).toBeInTheDocument();

    await openTab(view, 'Authentication');
    expect(view.router.state.location.pathname).toBe('/settings/authentication');
  });

  it('opens the tab the address names', async () => {
    await openSettings('/settings/audit-logging');
    expect(tab('Audit Logging')).toHaveAttribute('aria-selected', 'true');
    expect(switchNamed(OPTIONS.successful)).toBeInTheDocument();
  });
});

describe('Settings page, dirty', () => {
  it('enables Save and Revert after a change, keeps the draft across tabs, and Revert restores the saved value', async () => {
    const view = await openSettings();
    await view.user.click(screen.getByRole('switch', { name: BASIC_GATE }));

    expect(screen.getByRole('switch', { name: BASIC_GATE })).toBeChecked();
    expect(saveBar().save).toBeEnabled();
    expect(saveBar().revert).toBeEnabled();
    expect(saveBar().status).toHaveTextContent('Unsaved changes (1) on Authentication.');
    expectTabMarked('Authentication', true);
    expectTabMarked('Permissions', false);

    await openTab(view, 'Audit Logging');
    // The draft is kept: the option gated by the switch is available now.
    expect(switchNamed(OPTIONS.failedBasic)).toBeEnabled();
    expectTabMarked('Authentication', true);
    expect(saveBar().status).toHaveTextContent('Unsaved changes (1) on Authentication.');

    await openTab(view, 'Authentication');
    expect(screen.getByRole('switch', { name: BASIC_GATE })).toBeChecked();

    await view.user.click(saveBar().revert);
    expect(screen.getByRole('switch', { name: BASIC_GATE })).not.toBeChecked();
    expect(saveBar().save).toBeDisabled();
    expect(saveBar().revert).toBeDisabled();
    expect(saveBar().status).toHaveTextContent('No unsaved changes.');
    expectTabMarked('Authentication', false);
  });

  it('keeps the rate limits but does not let them be edited while rate limiting is off', async () => {
    const view = await openSettings();
    const rateLimiting = screen.getByRole('switch', { name: 'Rate limiting' });
    expect(rateLimiting).not.toBeChecked();
    expect(field('Requests per minute')).toBeDisabled();
    expect(field('Burst')).toBeDisabled();
    expect(screen.getByText('Turn rate limiting on to change its limits.')).toBeVisible();
    await view.user.click(rateLimiting);
    expect(field('Requests per minute')).toBeEnabled();
    expect(screen.queryByText('Turn rate limiting on to change its limits.')).not.toBeInTheDocument();
  });

  it('counts changes on several tabs and names those tabs', async () => {
    const view = await openSettings();
    await view.user.click(screen.getByRole('switch', { name: 'Rate limiting' }));
    await openTab(view, 'Audit Logging');
    await view.user.click(switchNamed(OPTIONS.permissionDenied));
    expect(saveBar().status).toHaveTextContent('Unsaved changes (2) on Authentication, Audit Logging.');
    expectTabMarked('Audit Logging', true);
  });

  it('turning a change back by hand leaves nothing to save', async () => {
    const view = await openSettings();
    const rateLimiting = screen.getByRole('switch', { name: 'Rate limiting' });
    await view.user.click(rateLimiting);
    await view.user.click(rateLimiting);
    expect(saveBar().save).toBeDisabled();
    expect(saveBar().status).toHaveTextContent('No unsaved changes.');
  });
});

describe('Settings page, saving', () => {
  it('shows "Saving…" while the request is in flight, then "Settings saved", and the backend has the new value', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // Holds the PUT until released, then lets the real backend answer it.
    testServer.use(
      http.put(SETTINGS_URL, async () => {
        await released;
      }),
    );
    const view = await openSettings();
    await view.user.click(screen.getByRole('switch', { name: BASIC_GATE }));
    await view.user.click(saveBar().save);

    const saving = await screen.findByRole('button', { name: 'Saving…' });
    expect(saving).toBeDisabled();
    expect(saveBar().revert).toBeDisabled();
    expect((await savedSettings(view)).version).toBe(1);

    release();
    await expectSaved();
    expect(await screen.findByRole('button', { name: 'Save' })).toBeDisabled();
    // No notification over Revert and Save, and no version number that means nothing to a user.
    expect(screen.queryByRole('button', { name: 'Dismiss notification' })).not.toBeInTheDocument();
    expect(screen.queryByText(/Version 2/)).not.toBeInTheDocument();
    expect(screen.getByRole('switch', { name: BASIC_GATE })).toBeChecked();

    // The next change replaces the message with what is unsaved.
    await view.user.click(screen.getByRole('switch', { name: 'Rate limiting' }));
    expect(saveBar().status).toHaveTextContent('Unsaved changes (1) on Authentication.');

    const saved = await savedSettings(view);
    expect(saved.version).toBe(2);
    expect(saved.updatedBy).toBe('admin');
    expect(saved.authentication.disableBasicAuthWithPasswords).toBe(true);
  });

  it('says the settings were not saved on a server failure, keeps the draft, and saves on the next try', async () => {
    testServer.use(
      // A proxy's plain-text 500, not the backend's problem+json.
      http.put(SETTINGS_URL, () => new HttpResponse('Internal Server Error', { status: 500 }), {
        once: true,
      }),
    );
    const view = await openSettings();
    await view.user.click(screen.getByRole('switch', { name: 'Rate limiting' }));
    await view.user.click(saveBar().save);

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The settings were not saved: Something went wrong on the server. Try again. Your changes are kept.',
    );
    expect(screen.getByRole('switch', { name: 'Rate limiting' })).toBeChecked();
    expect((await savedSettings(view)).authentication.rateLimit.enabled).toBe(false);
    expect(saveBar().save).toBeEnabled();

    await view.user.click(saveBar().save);
    await expectSaved();
    expect(screen.queryByText(/The settings were not saved/)).not.toBeInTheDocument();
    expect((await savedSettings(view)).authentication.rateLimit.enabled).toBe(true);
    expect((await savedSettings(view)).version).toBe(2);
  });
});

/** Saved before the page's first request: passwords disabled, failed basic attempts audit-logged. */
const saveGateClosedWithFailedBasicOn = (view: ReturnType<typeof renderApp>) =>
  saveSettingsBehindTheScenes(
    view,
    (s) => {
      s.authentication.disableBasicAuthWithPasswords = true;
      s.auditLogging.failedBasicAttempts = true;
    },
    'admin',
  );

describe('Audit Logging tab', () => {
  it('lists the five options with their exact labels, all off by default', async () => {
    await openSettings('/settings/audit-logging');
    const panel = screen.getByRole('tabpanel');
    const switches = within(panel).getAllByRole('switch');
    // In this order; an unavailable option's name also says "Unavailable".
    const names = [
      OPTIONS.successful,
      unavailable(OPTIONS.failedBasic),
      unavailable(OPTIONS.failedBearer),
      OPTIONS.failedVerification,
      OPTIONS.permissionDenied,
    ];
    expect(switches).toEqual(names.map((name) => within(panel).getByRole('switch', { name })));
    for (const s of switches) expect(s).not.toBeChecked();

    expect(within(panel).getByRole('group', { name: 'Failed Authentication Attempts' })).toBeInTheDocument();
    expect(within(panel).getByText('Audit volume can grow quickly')).toBeInTheDocument();
    // What keeps a flood of failed attempts from filling the audit log (issue 15, item 8).
    expect(
      within(panel).getByText(
        /Repeated failed attempts from one source are aggregated: the first 10 in a minute/,
      ),
    ).toBeInTheDocument();
    expect(field('Retention period (days)')).toHaveValue(90);
  });

  it('marks the gated options unavailable, says why, and links to the switch that controls each', async () => {
    await openSettings('/settings/audit-logging');

    const basic = switchNamed(OPTIONS.failedBasic);
    expect(basic).toHaveAccessibleName(unavailable(OPTIONS.failedBasic));
    expect(basic).toBeDisabled();
    expect(basic).not.toBeChecked();
    const basicBlock = within(switchBlock(OPTIONS.failedBasic));
    expect(
      basicBlock.getByText(/Available only while basic authentication with regular passwords is disabled/),
    ).toBeInTheDocument();
    expect(basicBlock.getByRole('link', { name: `Go to “${BASIC_GATE}”` })).toHaveAttribute(
      'href',
      '/settings/authentication#disable-basic-auth',
    );

    const bearer = switchNamed(OPTIONS.failedBearer);
    expect(bearer).toHaveAccessibleName(unavailable(OPTIONS.failedBearer));
    expect(bearer).toBeDisabled();
    const bearerBlock = within(switchBlock(OPTIONS.failedBearer));
    expect(
      bearerBlock.getByText(
        /Available only while bearer authentication with other authenticators is disabled/,
      ),
    ).toBeInTheDocument();
    expect(bearerBlock.getByRole('link', { name: `Go to “${BEARER_GATE}”` })).toHaveAttribute(
      'href',
      '/settings/authentication#disable-bearer-auth',
    );

    // The always-available options are not marked and can be switched.
    for (const label of [OPTIONS.successful, OPTIONS.failedVerification, OPTIONS.permissionDenied]) {
      expect(switchNamed(label)).toHaveAccessibleName(label);
      expect(switchNamed(label)).toBeEnabled();
    }
  });

  it('a screen reader hears "Unavailable" as a word of its own', async () => {
    await openSettings('/settings/audit-logging');
    expect(switchNamed(OPTIONS.failedBasic)).toHaveAccessibleName(`${OPTIONS.failedBasic} Unavailable`);
  });

  it('the link next to an unavailable option opens the controlling switch and focuses it', async () => {
    // jsdom has no layout, so no scrollIntoView.
    const scrolled = vi.fn();
    Element.prototype.scrollIntoView = scrolled;
    onTestFinished(() => void delete (Element.prototype as Partial<Element>).scrollIntoView);

    const view = await openSettings('/settings/audit-logging');
    await view.user.click(screen.getByRole('link', { name: `Go to “${BASIC_GATE}”` }));

    const gate = await screen.findByRole('switch', { name: BASIC_GATE });
    expect(view.router.state.location.pathname).toBe('/settings/authentication');
    expect(view.router.state.location.hash).toBe('#disable-basic-auth');
    await waitFor(() => expect(gate).toHaveFocus());
    expect(scrolled).toHaveBeenCalled();
  });

  it('makes the basic option available once the basic gate is turned on in the draft', async () => {
    const view = await openSettings();
    await view.user.click(screen.getByRole('switch', { name: BASIC_GATE }));
    await openTab(view, 'Audit Logging');

    const basic = switchNamed(OPTIONS.failedBasic);
    expect(basic).toHaveAccessibleName(OPTIONS.failedBasic);
    expect(basic).toBeEnabled();
    expect(within(switchBlock(OPTIONS.failedBasic)).queryByRole('link')).not.toBeInTheDocument();
    // The bearer option still depends on its own gate.
    expect(switchNamed(OPTIONS.failedBearer)).toBeDisabled();

    await view.user.click(basic);
    expect(basic).toBeChecked();
    expect(saveBar().status).toHaveTextContent('Unsaved changes (2) on Authentication, Audit Logging.');
  });

  it('warns that failed token verification is usually not advised', async () => {
    await openSettings('/settings/audit-logging');
    const block = within(switchBlock(OPTIONS.failedVerification));
    expect(block.getByText(/It may record a lot of events and is usually not advised\./)).toBeInTheDocument();
    expect(
      within(switchBlock(OPTIONS.successful)).queryByText(/usually not advised/),
    ).not.toBeInTheDocument();
  });

  it('the one-line summary follows the options turned on, and says when it describes unsaved changes', async () => {
    const view = await openSettings('/settings/audit-logging');
    const none =
      'The audit log records token creation and deletion and settings changes (always recorded), and no authentication events.';
    expect(screen.getByText(none)).toBeInTheDocument();

    await view.user.click(switchNamed(OPTIONS.successful));
    await view.user.click(switchNamed(OPTIONS.permissionDenied));
    expect(
      screen.getByText(
        'After you save, the audit log will record token creation and deletion and settings changes (always recorded), plus successful authentications, permission-denied events.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(none)).not.toBeInTheDocument();

    await view.user.click(saveBar().save);
    await expectSaved();
    expect(
      screen.getByText(
        'The audit log records token creation and deletion and settings changes (always recorded), plus successful authentications, permission-denied events.',
      ),
    ).toBeInTheDocument();
  });

  it('the summary agrees with an option that the draft turns off by closing its gate', async () => {
    const view = renderApp('/settings/authentication');
    await saveGateClosedWithFailedBasicOn(view);
    await view.user.click(await screen.findByRole('switch', { name: BASIC_GATE, checked: true }));
    await openTab(view, 'Audit Logging');

    expect(
      within(switchBlock(OPTIONS.failedBasic)).getByText(
        'It is on now and will be turned off when you save.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'After you save, the audit log will record token creation and deletion and settings changes (always recorded), and no authentication events.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/failed basic authentication attempts/)).not.toBeInTheDocument();
  });
});

describe('turning a gate back on', () => {
  it('asks before a save that turns a dependent audit option off, then saves once and the option is off', async () => {
    const view = renderApp('/settings/authentication');
    await saveGateClosedWithFailedBasicOn(view);
    const gate = await screen.findByRole('switch', { name: BASIC_GATE });
    expect(gate).toBeChecked();
    const puts = recordSettingsPuts();

    await view.user.click(gate);
    await openTab(view, 'Audit Logging');
    const basicBlock = within(switchBlock(OPTIONS.failedBasic));
    expect(basicBlock.getByText('It is on now and will be turned off when you save.')).toBeInTheDocument();

    await view.user.click(saveBar().save);
    const dialog = await screen.findByRole('alertdialog', { name: 'Turn off audit logging options?' });
    expect(within(dialog).getByRole('listitem')).toHaveTextContent(OPTIONS.failedBasic);
    expect(puts).toHaveLength(0);

    await view.user.click(within(dialog).getByRole('button', { name: 'Save and turn off' }));
    await expectSaved(` Turned off: ${OPTIONS.failedBasic}.`);
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();

    expect(puts).toHaveLength(1);
    const saved = await savedSettings(view);
    expect(saved.version).toBe(3);
    expect(saved.authentication.disableBasicAuthWithPasswords).toBe(false);
    expect(saved.auditLogging.failedBasicAttempts).toBe(false);
    expect(switchNamed(OPTIONS.failedBasic)).toHaveAccessibleName(unavailable(OPTIONS.failedBasic));
  });

  it('Cancel in the confirmation saves nothing and keeps the draft', async () => {
    const view = renderApp('/settings/authentication');
    await saveGateClosedWithFailedBasicOn(view);
    const puts = recordSettingsPuts();
    await view.user.click(await screen.findByRole('switch', { name: BASIC_GATE, checked: true }));
    await view.user.click(saveBar().save);
    const dialog = await screen.findByRole('alertdialog', { name: 'Turn off audit logging options?' });
    await view.user.click(within(dialog).getByRole('button', { name: 'Cancel' }));

    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(puts).toHaveLength(0);
    expect(screen.getByRole('switch', { name: BASIC_GATE })).not.toBeChecked();
    expect(saveBar().save).toBeEnabled();
    expect((await savedSettings(view)).auditLogging.failedBasicAttempts).toBe(true);
  });

  it('turning a gate on, its option on, and the gate off again leaves nothing hidden to save', async () => {
    const view = await openSettings();
    await view.user.click(screen.getByRole('switch', { name: BASIC_GATE }));
    await openTab(view, 'Audit Logging');
    await view.user.click(switchNamed(OPTIONS.failedBasic));
    await openTab(view, 'Authentication');
    await view.user.click(screen.getByRole('switch', { name: BASIC_GATE }));
    await openTab(view, 'Audit Logging');
    expect(switchNamed(OPTIONS.failedBasic)).toHaveAccessibleName(unavailable(OPTIONS.failedBasic));
    expect(switchNamed(OPTIONS.failedBasic)).not.toBeChecked();

    // Whether the page saves or has nothing to save, it must not end in an error.
    await view.user.click(saveBar().save);
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Saving…' })).not.toBeInTheDocument());
    expect(screen.queryByText(/Cannot be turned on/)).not.toBeInTheDocument();
    expect(saveBar().status).toHaveTextContent('No unsaved changes.');
    expect((await savedSettings(view)).auditLogging.failedBasicAttempts).toBe(false);
  });
});

describe('someone else saved meanwhile (412)', () => {
  async function editThenConflict() {
    const view = await openSettings();
    await view.user.click(screen.getByRole('switch', { name: 'Rate limiting' }));
    await saveSettingsBehindTheScenes(
      view,
      (s) => void (s.authentication.rateLimit.requestsPerMinute = 1200),
    );
    await view.user.click(saveBar().save);
    const dialog = await screen.findByRole('alertdialog', { name: CONFLICT_TITLE });
    return { view, dialog };
  }

  it('shows the conflict where the user is: a dialog that has the focus, and the save bar', async () => {
    const { view, dialog } = await editThenConflict();
    expect(dialog).toContainElement(document.activeElement as HTMLElement);
    expect(saveBar().status).toHaveTextContent(
      'Not saved: someone else saved the settings first. Your changes are kept.',
    );
    expect(saveBar().status).not.toHaveTextContent('Unsaved changes');

    // Closed without a choice (Escape: the browser cancels the dialog), it opens again from the save bar.
    fireEvent(dialog, new Event('cancel'));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    await view.user.click(within(saveBar().status).getByRole('button', { name: 'See what they changed' }));
    expect(await screen.findByRole('alertdialog', { name: CONFLICT_TITLE })).toBeInTheDocument();
  });

  it('lists what they changed, keeps my draft, and "Apply my changes on top" saves both', async () => {
    const { view, dialog } = await editThenConflict();
    // Who and when, not a version number that means nothing to the user (item 17).
    expect(dialog).toHaveAccessibleDescription(
      /^auditor saved the settings at .+\. Your changes were not saved and are still here\.$/,
    );
    expect(within(dialog).getByRole('listitem')).toHaveTextContent('Requests per minute: 600 → 1200');
    expect(screen.getByRole('switch', { name: 'Rate limiting' })).toBeChecked();
    expect(field('Requests per minute')).toHaveValue(600);

    await view.user.click(within(dialog).getByRole('button', { name: 'Apply my changes on top' }));
    expect(screen.queryByText(CONFLICT_TITLE)).not.toBeInTheDocument();
    expect(screen.getByRole('switch', { name: 'Rate limiting' })).toBeChecked();
    expect(field('Requests per minute')).toHaveValue(1200);
    expect(saveBar().status).toHaveTextContent('Unsaved changes (1) on Authentication.');

    await view.user.click(saveBar().save);
    await expectSaved();
    const saved = await savedSettings(view);
    expect(saved.version).toBe(3);
    expect(saved.updatedBy).toBe('admin');
    expect(saved.authentication.rateLimit).toEqual({ enabled: true, requestsPerMinute: 1200, burst: 100 });
  });

  it('says the save failed, and keeps my draft, when the latest settings cannot be read either', async () => {
    const view = await openSettings();
    await view.user.click(screen.getByRole('switch', { name: 'Rate limiting' }));
    await saveSettingsBehindTheScenes(
      view,
      (s) => void (s.authentication.rateLimit.requestsPerMinute = 1200),
    );
    testServer.use(http.get(SETTINGS_URL, () => problemResponse(500, 'The database is down.')));
    await view.user.click(saveBar().save);

    expect(await screen.findByText(/^The settings were not saved: .*Your changes are kept\.$/)).toBeVisible();
    expect(screen.getByRole('switch', { name: 'Rate limiting' })).toBeChecked();
    expect(saveBar().save).toBeEnabled();
  });

  it('"Discard my changes and reload" shows their value and drops mine', async () => {
    const { view, dialog } = await editThenConflict();
    await view.user.click(within(dialog).getByRole('button', { name: 'Discard my changes and reload' }));

    expect(screen.queryByText(CONFLICT_TITLE)).not.toBeInTheDocument();
    expect(field('Requests per minute')).toHaveValue(1200);
    expect(screen.getByRole('switch', { name: 'Rate limiting' })).not.toBeChecked();
    expect(saveBar().save).toBeDisabled();
    expect(saveBar().status).toHaveTextContent('No unsaved changes.');
    expect((await savedSettings(view)).version).toBe(2);
  });
});

describe('invalid values (422)', () => {
  it('refuses 0 requests per minute next to the field and cannot be saved', async () => {
    const view = await openSettings();
    await turnOnRateLimiting(view);
    await typeNumber(view, 'Requests per minute', '0');

    const rpm = field('Requests per minute');
    expect(rpm).toHaveAttribute('aria-invalid', 'true');
    expect(rpm).toHaveAccessibleDescription(
      'Sustained rate per token. Requests per minute must be at least 1.',
    );
    expect(saveBar().save).toBeDisabled();
    expect(saveBar().status).toHaveTextContent('Fix the value marked in red to save.');

    await typeNumber(view, 'Requests per minute', '30');
    expect(field('Requests per minute')).toHaveAccessibleDescription('Sustained rate per token.');
    expect(saveBar().save).toBeEnabled();
  });

  it("shows the server's field error by the Burst field, and nothing is saved", async () => {
    const puts = recordSettingsPuts();
    testServer.use(
      http.put(SETTINGS_URL, () =>
        problemResponse(422, 'Some values are not valid.', { 'authentication.rateLimit.burst': 'Too big.' }),
      ),
    );
    const view = await openSettings();
    await turnOnRateLimiting(view);
    await typeNumber(view, 'Burst', '5000');
    await view.user.click(saveBar().save);

    await waitFor(() =>
      expect(field('Burst')).toHaveAccessibleDescription('Requests a token may send at once. Too big.'),
    );
    expect(field('Burst')).toHaveAttribute('aria-invalid', 'true');
    expect(field('Burst')).toHaveValue(5000);
    expect(saveBar().save).toBeDisabled();
    expect(puts).toHaveLength(1);
    expect((await savedSettings(view)).version).toBe(1);
    expect((await savedSettings(view)).authentication.rateLimit.burst).toBe(100);

    // Editing the field again clears the server's message.
    await typeNumber(view, 'Burst', '500');
    expect(field('Burst')).toHaveAccessibleDescription('Requests a token may send at once.');
    expect(saveBar().save).toBeEnabled();
  });
});

describe('global IP restrictions', () => {
  it('validates an address as it is typed, and adds and removes a CIDR range', async () => {
    const view = await openSettings();
    const input = screen.getByRole('textbox', { name: 'Allowed addresses and ranges' });
    const add = screen.getByRole('button', { name: 'Add' });
    expect(screen.getByText('No restriction: every address is allowed.')).toBeInTheDocument();
    expect(add).toBeDisabled();

    await view.user.type(input, '10.0.0.300');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(
      'IPv4 or IPv6 addresses and CIDR ranges. Empty: every address is allowed. Add several at once by separating them with commas, spaces or line breaks. "10.0.0.300" is not a valid IP address (e.g. 203.0.113.7 or 2001:db8::1).',
    );
    expect(add).toBeDisabled();

    await view.user.clear(input);
    await view.user.type(input, '10.0.0.0/8');
    expect(input).not.toHaveAttribute('aria-invalid');
    expect(add).toBeEnabled();
    await view.user.click(add);

    const list = screen.getByRole('list', { name: 'Allowed addresses and ranges' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['10.0.0.0/8✕']);
    expect(input).toHaveValue('');
    expect(screen.queryByText('No restriction: every address is allowed.')).not.toBeInTheDocument();
    expect(saveBar().status).toHaveTextContent('Unsaved changes (1) on Authentication.');

    await view.user.click(screen.getByRole('button', { name: 'Remove 10.0.0.0/8' }));
    expect(screen.queryByRole('list', { name: 'Allowed addresses and ranges' })).not.toBeInTheDocument();
    expect(saveBar().status).toHaveTextContent('No unsaved changes.');
  });

  it('points out a range that does not start at its network address', async () => {
    const view = await openSettings();
    const input = screen.getByRole('textbox', { name: 'Allowed addresses and ranges' });
    await view.user.type(input, '10.0.0.5/8');
    expect(screen.getByText('Not the start of a range: did you mean 10.0.0.0/8?')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add' })).toBeDisabled();
  });
});

describe('read-only and forbidden', () => {
  it('shows an auditor every tab with every control disabled, and no Save', async () => {
    const view = await openSettings('/settings/authentication', 'auditor');
    expect(screen.getByText(/You can view these settings but not change them/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Revert' })).not.toBeInTheDocument();

    const expectAllDisabled = () => {
      const panel = screen.getByRole('tabpanel');
      const controls = [
        'switch',
        'spinbutton',
        'textbox',
        'searchbox',
        'combobox',
        'button',
        'radio',
        'checkbox',
      ].flatMap((role) => within(panel).queryAllByRole(role));
      expect(controls.length).toBeGreaterThan(0);
      for (const control of controls) expect(control).toBeDisabled();
      return controls;
    };

    const authentication = expectAllDisabled();
    expect(authentication.filter((c) => c.getAttribute('role') === 'switch')).toHaveLength(4);
    expect(screen.queryByRole('textbox', { name: 'Allowed addresses and ranges' })).not.toBeInTheDocument();

    await openTab(view, 'Permissions');
    await screen.findByRole('heading', { name: 'Use API tokens' });
    expect(expectAllDisabled().filter((c) => c.getAttribute('type') === 'radio')).toHaveLength(4);

    await openTab(view, 'Audit Logging');
    expect(expectAllDisabled().filter((c) => c.getAttribute('role') === 'switch')).toHaveLength(5);
  });

  it('tells a regular user they may not view the page', async () => {
    renderApp('/settings', { as: 'jdoe' });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      "You don't have permission to view this page.",
    );
    expect(screen.queryByRole('tabpanel')).not.toBeInTheDocument();
  });
});

describe('leaving with unsaved changes', () => {
  it('asks before leaving; "Stay" keeps the page and the draft', async () => {
    const view = await openSettings();
    await view.user.click(screen.getByRole('switch', { name: BASIC_GATE }));
    const nav = screen.getByRole('navigation', { name: 'Main' });
    await view.user.click(within(nav).getByRole('link', { name: 'Audit Log' }));

    const dialog = await screen.findByRole('alertdialog', { name: 'Discard unsaved changes?' });
    expect(dialog).toHaveTextContent('You changed a setting without saving.');
    await view.user.click(within(dialog).getByRole('button', { name: 'Stay' }));

    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(view.router.state.location.pathname).toBe('/settings/authentication');
    expect(screen.getByRole('switch', { name: BASIC_GATE })).toBeChecked();
    expect(saveBar().save).toBeEnabled();
  });

  it('"Discard changes and leave" goes to the Audit Log and saves nothing', async () => {
    const view = await openSettings();
    await view.user.click(screen.getByRole('switch', { name: BASIC_GATE }));
    await view.user.click(
      within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Audit Log' }),
    );
    const dialog = await screen.findByRole('alertdialog', { name: 'Discard unsaved changes?' });
    await view.user.click(within(dialog).getByRole('button', { name: 'Discard changes and leave' }));

    await waitFor(() => expect(view.router.state.location.pathname).toBe('/audit'));
    expect(await screen.findByRole('heading', { level: 1, name: 'Audit Log' })).toBeInTheDocument();
    expect((await savedSettings(view)).authentication.disableBasicAuthWithPasswords).toBe(false);
  });

  it('does not ask when nothing changed', async () => {
    const view = await openSettings();
    await view.user.click(
      within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Audit Log' }),
    );
    await waitFor(() => expect(view.router.state.location.pathname).toBe('/audit'));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });
});

describe('permissions: the group pickers', () => {
  const MANAGERS = 'Groups that may create and delete tokens for other users';
  const boxLabels = () =>
    within(screen.getByRole('group', { name: MANAGERS }))
      .getAllByRole('checkbox')
      .map((box) => box.parentElement!.textContent);

  it('keeps every row in place while groups are ticked and unticked', async () => {
    const view = await openSettings('/settings/permissions');
    await screen.findByRole('group', { name: MANAGERS });
    const before = boxLabels();
    expect(before[0]).toBe('jira-administrators');

    await view.user.click(within(screen.getByRole('group', { name: MANAGERS })).getByLabelText('auditors'));
    expect(boxLabels()).toEqual(before);
    await view.user.click(
      within(screen.getByRole('group', { name: MANAGERS })).getByLabelText('jira-administrators'),
    );
    expect(boxLabels()).toEqual(before);
    expect(
      within(screen.getByRole('group', { name: MANAGERS })).getByLabelText('jira-administrators'),
    ).not.toBeChecked();
  });

  it("warns before a save that leaves the administrator's own group out of token management", async () => {
    const view = await openSettings('/settings/permissions');
    const picker = await screen.findByRole('group', { name: MANAGERS });
    const puts = recordSettingsPuts();
    await view.user.click(within(picker).getByLabelText('auditors'));
    expect(screen.queryByText('Nobody may be left to manage tokens')).not.toBeInTheDocument();
    await view.user.click(within(picker).getByLabelText('jira-administrators'));
    expect(screen.getByText('Nobody may be left to manage tokens')).toBeInTheDocument();

    await view.user.click(saveBar().save);
    const dialog = await screen.findByRole('alertdialog', { name: 'Save and stop managing tokens?' });
    expect(dialog).toHaveTextContent(/nobody can/);
    expect(puts).toHaveLength(0);
    await view.user.click(within(dialog).getByRole('button', { name: 'Save anyway' }));
    await expectSaved();
    expect((await savedSettings(view)).permissions.manageOthersTokens.groups).toEqual(['auditors']);
  });
});

describe('the session expires while saving (401)', () => {
  it('keeps the draft and, after signing in again, says to press Save again; Save then saves it', async () => {
    testServer.use(
      http.put(SETTINGS_URL, () => problemResponse(401, 'Your session has expired.'), { once: true }),
    );
    const view = await openSettings();
    await view.user.click(screen.getByRole('switch', { name: 'Rate limiting' }));
    await view.user.click(saveBar().save);

    const expired = await screen.findByRole('alertdialog', { name: 'Session expired' });
    await view.user.click(within(expired).getByRole('button', { name: 'Sign in again' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());

    expect(saveBar().status).toHaveTextContent(
      'Not saved: your session had expired. Your changes are kept: press Save again.',
    );
    expect(screen.getByRole('switch', { name: 'Rate limiting' })).toBeChecked();
    expect((await savedSettings(view)).authentication.rateLimit.enabled).toBe(false);

    await view.user.click(saveBar().save);
    await expectSaved();
    expect((await savedSettings(view)).authentication.rateLimit.enabled).toBe(true);
  });
});
