import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { dayBoundary, formatDate } from '@/lib/time';
import { renderApp, saveSettingsBehindTheScenes } from '@/test/render';
import { hashSecret } from '../../../backend/auth/secrets';
import { openCreateDialog, openTokens, storeList, submitButton, summaryOf } from './test-kit';

/** A text as a regular expression that matches it literally. */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the expiry of a new token', () => {
  it('offers 7 days to 1 year and a custom date under the default policy (at most 1 year), not Never', async () => {
    const view = await openTokens();
    const dialog = await openCreateDialog(view);
    const expires = within(dialog).getByRole('combobox', { name: 'Expires' });
    expect(
      within(expires)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['7 days', '30 days', '90 days', '6 months', '1 year', 'Custom date']);
    expect(expires).toHaveDisplayValue('30 days');
    expect(within(dialog).getByText(/The token policy allows at most until/)).toBeInTheDocument();
  });

  it('offers Never when the policy lets tokens never expire, and creates such a token', async () => {
    const view = renderApp('/tokens/mine');
    await saveSettingsBehindTheScenes(view, (s) => {
      s.authentication.tokenPolicy.maxValidity = { unit: 'never' };
    });
    await screen.findByRole('table', { name: 'API tokens' });
    const dialog = await openCreateDialog(view);
    const expires = within(dialog).getByRole('combobox', { name: 'Expires' });
    expect(
      within(expires)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['7 days', '30 days', '90 days', '6 months', '1 year', 'Custom date', 'Never']);
    expect(
      within(dialog).getByText(/The token policy allows tokens that never expire\./),
    ).toBeInTheDocument();

    // Like GitHub, the dialog warns against a token without expiry.
    expect(within(dialog).queryByText('This token never expires')).not.toBeInTheDocument();
    await view.user.selectOptions(expires, 'Never');
    expect(within(dialog).getByText('This token never expires')).toBeVisible();
    expect(within(dialog).getByText(/It works until it is revoked/)).toBeVisible();
    await view.user.type(within(dialog).getByRole('textbox', { name: 'Description' }), 'Forever token');
    await view.user.click(submitButton(dialog));
    const created = await screen.findByRole('dialog', { name: 'Token created' });
    expect(summaryOf(created).Expires).toBe('Never');
    const secret = within(created).getByRole<HTMLInputElement>('textbox', {
      name: 'Your new API token',
    }).value;
    expect((await view.host.store().findTokenByHash(hashSecret(secret)))?.expiresAt).toBeNull();
  });

  it('starts with a choice the policy allows when its maximum is shorter than 30 days', async () => {
    const view = renderApp('/tokens/mine');
    await saveSettingsBehindTheScenes(view, (s) => {
      s.authentication.tokenPolicy.maxValidity = { unit: 'days', value: 10 };
    });
    await screen.findByRole('table', { name: 'API tokens' });
    const dialog = await openCreateDialog(view);
    const expires = within(dialog).getByRole('combobox', { name: 'Expires' });
    expect(
      within(expires)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['7 days', 'Custom date']);
    expect(expires).toHaveDisplayValue('7 days');

    await view.user.type(within(dialog).getByRole('textbox', { name: 'Description' }), 'Within ten days');
    await view.user.click(submitButton(dialog));
    expect(within(dialog).queryByText(/Longer than the token policy allows/)).not.toBeInTheDocument();
    const created = await screen.findByRole('dialog', { name: 'Token created' });
    const secret = within(created).getByRole<HTMLInputElement>('textbox', {
      name: 'Your new API token',
    }).value;
    const token = (await view.host.store().findTokenByHash(hashSecret(secret)))!;
    expect(Date.parse(token.expiresAt!) - Date.parse(token.createdAt)).toBeLessThanOrEqual(
      7 * 86_400_000 + 60_000,
    );
  });

  it('asks for an expiry date for a custom date, and refuses one beyond the policy, on the date field', async () => {
    const view = await openTokens();
    const before = (await storeList(view, {}, 'admin')).total;
    const dialog = await openCreateDialog(view);
    expect(within(dialog).queryByLabelText('Expiry date')).not.toBeInTheDocument();
    const expires = within(dialog).getByRole('combobox', { name: 'Expires' });
    await view.user.selectOptions(expires, 'Custom date');

    const day = within(dialog).getByLabelText('Expiry date');
    expect(day).toHaveAttribute('type', 'date');
    await view.user.type(within(dialog).getByRole('textbox', { name: 'Description' }), 'Too long');
    await view.user.click(submitButton(dialog));
    expect(within(dialog).getByText('Choose a date.')).toBeInTheDocument();
    expect(day).toHaveFocus();

    const farAway = new Date();
    farAway.setFullYear(farAway.getFullYear() + 2);
    fireEvent.change(day, { target: { value: farAway.toISOString().slice(0, 10) } });
    await view.user.click(submitButton(dialog));
    const message = within(dialog).getByText(/^Longer than the token policy allows: .* at the latest\.$/);
    // The date is what is wrong: the date field is marked and says so, not the Expires choice.
    expect(day).toHaveAttribute('aria-invalid', 'true');
    expect(day).toHaveAccessibleDescription(expect.stringContaining(message.textContent));
    expect(expires).not.toHaveAttribute('aria-invalid');
    expect((await storeList(view, {}, 'admin')).total).toBe(before);
  });

  it("lets the policy's last day be chosen, and says that same day in the text and the date picker", async () => {
    const view = await openTokens();
    const dialog = await openCreateDialog(view);
    await view.user.selectOptions(within(dialog).getByRole('combobox', { name: 'Expires' }), 'Custom date');
    const day = within(dialog).getByLabelText('Expiry date');
    const policy = (await view.host.store().getSettings()).authentication.tokenPolicy;
    expect(policy.maxValidity).toEqual({ unit: 'months', value: 12 });
    const hint = within(dialog).getByText(/The token policy allows at most until/).textContent;
    const latest = /until (.*)\.$/.exec(hint)![1]!;
    // The picker's last day is the day the text names.
    const lastDay = day.getAttribute('max')!;
    expect(latest.startsWith(formatDate(dayBoundary(lastDay, 'start')!))).toBe(true);

    fireEvent.change(day, { target: { value: lastDay } });
    expect(within(dialog).getByText(new RegExp(`^Expires ${escape(latest)}\\.`))).toBeInTheDocument();
    await view.user.type(within(dialog).getByRole('textbox', { name: 'Description' }), 'Until the limit');
    await view.user.click(submitButton(dialog));
    const created = await screen.findByRole('dialog', { name: 'Token created' });
    expect(summaryOf(created).Expires).toBe(latest);
  });
});
