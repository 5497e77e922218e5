import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { renderApp } from '@/test/render';
import {
  BASIC_GATE,
  BEARER_GATE,
  OPTIONS,
  openSettings,
  openTab,
  unavailable,
  switchNamed,
  switchBlock,
  field,
  saveBar,
  recordSettingsPuts,
  savedSettings,
  expectSaved,
  saveGateClosedWithFailedBasicOn,
} from './test-kit';

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
