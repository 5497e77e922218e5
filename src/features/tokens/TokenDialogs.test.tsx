import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { formatDateTime } from '@/lib/time';
import { hashSecret } from '../../../backend/auth/secrets';
import {
  bodyRows,
  cell,
  expectToast,
  noDialog,
  openCreateDialog,
  openTokens,
  rowAction,
  rowOf,
  seededToken,
  shownDateTime,
  storeList,
  submitButton,
  tokensOf,
  type View,
} from './test-kit';

/** Escape on a modal: jsdom has no key handling for <dialog>, so the event the browser sends for it. */
const escapeOn = (dialog: HTMLElement) => fireEvent(dialog, new Event('cancel', { cancelable: true }));

const secretIn = (dialog: HTMLElement) =>
  within(dialog).getByRole<HTMLInputElement>('textbox', { name: 'Your new API token' }).value;

describe('editing a token', () => {
  it('saves a new description, expiry and IP restrictions, and the row shows them', async () => {
    const view = await openTokens();
    const token = seededToken(view, 'admin', (t) => t.expiresAt !== null && t.ipRestrictions.length === 0);
    await rowAction(view, token, 'Edit…');
    const dialog = await screen.findByRole('dialog', { name: 'Edit token' });
    const description = within(dialog).getByRole('textbox', { name: 'Description' });
    expect(description).toHaveValue(token.description);
    const expires = await within(dialog).findByRole('combobox', { name: 'Expires' });
    expect(expires).toHaveDisplayValue(`Keep: ${formatDateTime(token.expiresAt!)}`);

    // (Pasted, not typed key by key: the test stays within its time on a loaded machine.)
    await view.user.clear(description);
    await view.user.paste('Renamed by the test');
    await view.user.selectOptions(expires, '7 days');
    // A pasted list, one entry per line, is added at once.
    await view.user.click(within(dialog).getByRole('textbox', { name: 'IP restrictions' }));
    await view.user.paste('192.0.2.1\n198.51.100.0/24');
    await view.user.click(within(dialog).getByRole('button', { name: 'Add' }));
    await view.user.click(within(dialog).getByRole('button', { name: 'Save' }));

    await expectToast('Token saved');
    await noDialog();
    const stored = (await view.host.store().getToken(token.id))!;
    expect(stored.description).toBe('Renamed by the test');
    expect(stored.ipRestrictions).toEqual(['192.0.2.1', '198.51.100.0/24']);
    const days = (Date.parse(stored.expiresAt!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    await waitFor(() =>
      expect(within(rowOf(token)).getByRole('rowheader')).toHaveTextContent('Renamed by the test'),
    );
    expect(cell(rowOf(token), 'IP restrictions')).toHaveTextContent('192.0.2.1, 198.51.100.0/24');
    expect(cell(rowOf(token), 'Expires')).toHaveTextContent(shownDateTime(stored.expiresAt!));
  });

  it('asks for a description when it is emptied, moves the focus there, and saves nothing', async () => {
    const view = await openTokens();
    const token = tokensOf(view, 'admin')[0]!;
    await rowAction(view, token, 'Edit…');
    const dialog = await screen.findByRole('dialog', { name: 'Edit token' });
    const field = within(dialog).getByRole('textbox', { name: 'Description' });
    await view.user.clear(field);
    await view.user.click(within(dialog).getByRole('button', { name: 'Save' }));

    expect(within(dialog).getByText('Enter a description.')).toBeInTheDocument();
    expect(field).toHaveAccessibleDescription('Enter a description.');
    await waitFor(() => expect(field).toHaveFocus());
    expect((await view.host.store().getToken(token.id))?.description).toBe(token.description);
  });
});

describe('rotating a token', () => {
  it('gives the token a new secret, shown once; the previous one works until the grace period ends', async () => {
    const view = await openTokens();
    const token = seededToken(view, 'admin', (t) => t.ipRestrictions.length > 0);
    const before = (await view.host.store().getToken(token.id))!;
    await rowAction(view, token, 'Rotate…');
    const dialog = await screen.findByRole('dialog', { name: 'Rotate this token?' });
    expect(within(dialog).getByRole('radio', { name: 'Immediately' })).toBeChecked();
    await view.user.click(within(dialog).getByRole('radio', { name: 'After 1 day' }));
    await view.user.click(within(dialog).getByRole('button', { name: 'Rotate token' }));

    const rotated = await screen.findByRole('dialog', { name: 'Token rotated' });
    const secret = secretIn(rotated);
    expect(secret).toMatch(/^atc_[0-9A-Za-z]{40}$/);
    const stored = (await view.host.store().getToken(token.id))!;
    // Same token, same settings, a new secret; the old one kept for a day.
    expect((await view.host.store().findTokenByHash(hashSecret(secret)))?.id).toBe(token.id);
    expect(stored.secretHash).not.toBe(before.secretHash);
    expect(stored.previousSecretHash).toBe(before.secretHash);
    expect(stored).toMatchObject({
      description: before.description,
      scope: before.scope,
      expiresAt: before.expiresAt,
      ipRestrictions: before.ipRestrictions,
    });
    const until = stored.previousSecretExpiresAt!;
    expect(Date.parse(until) - Date.now()).toBeGreaterThan(86_400_000 - 60_000);
    expect(rotated).toHaveTextContent(`The previous secret keeps working until ${formatDateTime(until)}`);
    expect(
      within(rotated).getByText(
        `curl -H "Authorization: Bearer ${secret}" ${window.location.origin}/rest/api/2/myself`,
      ),
    ).toBeInTheDocument();

    await view.user.click(within(rotated).getByRole('button', { name: 'Done' }));
    await noDialog();
    expect(document.body.innerHTML).not.toContain(secret);
    expect(
      await within(rowOf(token)).findByText(`Previous secret works until ${formatDateTime(until)}`),
    ).toBeVisible();
  });

  it('stops the previous secret at once by default', async () => {
    const view = await openTokens();
    const token = tokensOf(view, 'admin')[0]!;
    await rowAction(view, token, 'Rotate…');
    const dialog = await screen.findByRole('dialog', { name: 'Rotate this token?' });
    await view.user.click(within(dialog).getByRole('button', { name: 'Rotate token' }));
    const rotated = await screen.findByRole('dialog', { name: 'Token rotated' });
    expect(rotated).toHaveTextContent('The previous secret has stopped working.');
    expect((await view.host.store().getToken(token.id))?.previousSecretExpiresAt).toBeNull();
  });
});

describe('the secret, shown once', () => {
  async function createdToken(view: View) {
    const dialog = await openCreateDialog(view);
    await view.user.type(within(dialog).getByRole('textbox', { name: 'Description' }), 'Shown once');
    await view.user.click(submitButton(dialog));
    return screen.findByRole('dialog', { name: 'Token created' });
  }

  it('asks "Have you copied the token?" when Escape would close it before anything was copied', async () => {
    const view = await openTokens();
    const created = await createdToken(view);
    const secret = secretIn(created);

    escapeOn(created);
    const ask = await screen.findByRole('alertdialog', { name: 'Have you copied the token?' });
    await view.user.click(within(ask).getByRole('button', { name: 'Go back to the token' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(secretIn(screen.getByRole('dialog', { name: 'Token created' }))).toBe(secret);

    // The ✕ asks too; confirming closes it.
    await view.user.click(within(created).getByRole('button', { name: 'Close' }));
    const again = await screen.findByRole('alertdialog', { name: 'Have you copied the token?' });
    await view.user.click(within(again).getByRole('button', { name: 'Close, I have copied it' }));
    await noDialog();
    expect(document.body.innerHTML).not.toContain(secret);
  });

  it('has a Copy button for each example; once something was copied, Escape closes without asking', async () => {
    const view = await openTokens();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    const created = await createdToken(view);
    const secret = secretIn(created);

    await view.user.click(within(created).getByRole('button', { name: 'Copy the Bearer example' }));
    expect(writeText).toHaveBeenLastCalledWith(
      `curl -H "Authorization: Bearer ${secret}" ${window.location.origin}/rest/api/2/myself`,
    );
    await view.user.click(within(created).getByRole('button', { name: 'Copy the Basic example' }));
    expect(writeText).toHaveBeenLastCalledWith(
      `curl -u admin:${secret} ${window.location.origin}/rest/api/2/myself`,
    );
    escapeOn(created);
    await noDialog();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });
});

describe('where the focus goes', () => {
  it('opens "Create token" on its first field (not on ✕), and a refused submit goes to the first invalid field', async () => {
    const view = await openTokens();
    let dialog = await openCreateDialog(view);
    const description = within(dialog).getByRole('textbox', { name: 'Description' });
    await waitFor(() => expect(description).toHaveFocus());
    await view.user.click(submitButton(dialog));
    expect(description).toHaveAccessibleDescription(/Enter a description\./);
    await waitFor(() => expect(description).toHaveFocus());
    await view.user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await noDialog();

    // In the Token Manager the first field is the owner.
    await view.user.click(screen.getByRole('tab', { name: 'Token Manager' }));
    await screen.findByRole('button', { name: 'Revoke all tokens of a user…' });
    dialog = await openCreateDialog(view);
    await waitFor(() => expect(within(dialog).getByRole('searchbox', { name: 'Owner' })).toHaveFocus());
  });

  it('after a revoke, goes to the actions of the row that took the revoked one’s place', async () => {
    const view = await openTokens();
    const [, second, third] = (await storeList(view, {}, 'admin')).items;
    await rowAction(view, second!, 'Revoke…');
    const confirm = await screen.findByRole('alertdialog', { name: 'Revoke this token?' });
    await view.user.click(within(confirm).getByRole('button', { name: 'Revoke token' }));
    await waitFor(() => expect(within(bodyRows()[1]!).getByText(third!.id)).toBeInTheDocument());
    await waitFor(() =>
      expect(
        within(rowOf(third!)).getByRole('button', { name: `Actions for ${third!.description}` }),
      ).toHaveFocus(),
    );
  });
});

describe('tokens that never expire', () => {
  it('has a "No expiry" status filter, in the address bar', async () => {
    const view = await openTokens('/tokens/manage');
    await view.user.click(screen.getByRole('checkbox', { name: 'No expiry' }));
    await waitFor(() => expect(view.router.state.location.search).toContain('status=noExpiry'));
    const total = view.host.data().tokens.filter((t) => t.expiresAt === null).length;
    expect(total).toBeGreaterThan(0);
    expect(
      await screen.findByText(`Showing 1–${Math.min(50, total)} of ${total} tokens`),
    ).toBeInTheDocument();
    for (const row of bodyRows()) expect(cell(row, 'Expires')).toHaveTextContent(/^NeverNo expiry$/);
  });

  it('lists them first when sorting by Expires, latest first', async () => {
    const view = await openTokens('/tokens/manage?sort=expiresAt&order=desc');
    expect(cell(bodyRows()[0]!, 'Expires')).toHaveTextContent(/^Never/);
    expect((await storeList(view, { sort: 'expiresAt', order: 'desc' })).items[0]!.expiresAt).toBeNull();
  });
});
