import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { renderApp } from '@/test/render';
import { testServer } from '@/test/server';
import {
  BASIC_GATE,
  BEARER_GATE,
  OPTIONS,
  SETTINGS_URL,
  openSettings,
  tab,
  openTab,
  switchNamed,
  expectTabMarked,
  field,
  saveBar,
  savedSettings,
  expectSaved,
} from './test-kit';

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
