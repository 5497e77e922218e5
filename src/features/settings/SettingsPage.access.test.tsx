import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '@/test/render';
import { openSettings, openTab, saveBar, recordSettingsPuts, savedSettings, expectSaved } from './test-kit';

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
