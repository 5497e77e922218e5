import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Token } from '@contract/tokens';
import { hashSecret } from '../../../backend/auth/secrets';
import {
  bodyRows,
  columnNames,
  expectToast,
  openCreateDialog,
  openTokens,
  rowOf,
  storeList,
  submitButton,
  summaryOf,
  table,
  tokensOf,
} from './test-kit';

describe('the Token Manager', () => {
  it('revokes every token of a user after the username is typed to confirm', async () => {
    const view = await openTokens('/tokens/manage');
    const count = (await storeList(view, {}, 'jdoe')).total;
    const others = (await storeList(view, {}, 'admin')).total;
    expect(count).toBeGreaterThan(1);

    await view.user.click(screen.getByRole('button', { name: 'Revoke all tokens of a user…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Revoke all tokens of a user' });
    expect(within(dialog).getByRole('button', { name: 'Revoke all tokens' })).toBeDisabled();

    await view.user.type(within(dialog).getByRole('searchbox', { name: 'User' }), 'jdoe');
    await view.user.click(await within(dialog).findByRole('button', { name: 'John Doe (jdoe)' }));
    // How many before the confirmation, on the button too.
    expect(await within(dialog).findByText(/stop working at once/)).toHaveTextContent(
      `All ${count} API tokens of John Doe stop working at once.`,
    );
    const revoke = within(dialog).getByRole('button', { name: `Revoke ${count} tokens` });
    expect(revoke).toBeDisabled();
    const confirmation = within(dialog).getByRole('textbox', { name: 'Type jdoe to confirm' });
    expect(revoke).toBeDisabled();
    await view.user.type(confirmation, 'jdo');
    expect(revoke).toBeDisabled();
    await view.user.type(confirmation, 'e');
    expect(revoke).toBeEnabled();

    await view.user.click(revoke);
    await expectToast(`Revoked ${count} tokens of jdoe`);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect((await storeList(view, {}, 'jdoe')).total).toBe(0);
    expect((await storeList(view, {}, 'admin')).total).toBe(others);
    const total = view.host.data().tokens.length - count;
    expect(await screen.findByText(`Showing 1–50 of ${total} tokens`)).toBeInTheDocument();
  });

  it('creates a token for another user, chosen with the user picker', async () => {
    const view = await openTokens('/tokens/manage');
    const dialog = await openCreateDialog(view);
    await view.user.type(within(dialog).getByRole('textbox', { name: 'Description' }), 'Issued for John');
    await view.user.click(submitButton(dialog));
    expect(within(dialog).getByText('Choose the user the token is for.')).toBeInTheDocument();

    await view.user.type(within(dialog).getByRole('searchbox', { name: 'Owner' }), 'jdoe');
    await view.user.click(await within(dialog).findByRole('button', { name: 'John Doe (jdoe)' }));
    expect(within(dialog).queryByText('Choose the user the token is for.')).not.toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Change owner' })).toBeInTheDocument();
    await view.user.click(submitButton(dialog));

    const created = await screen.findByRole('dialog', { name: 'Token created' });
    const secret = within(created).getByRole<HTMLInputElement>('textbox', {
      name: 'Your new API token',
    }).value;
    expect(summaryOf(created)).toMatchObject({ Description: 'Issued for John', Owner: 'jdoe' });
    expect(within(created).getByText(new RegExp(`^curl -u jdoe:${secret} `))).toBeInTheDocument();
    expect(await view.host.store().findTokenByHash(hashSecret(secret))).toMatchObject({
      ownerUsername: 'jdoe',
      createdBy: 'admin',
      description: 'Issued for John',
    });
  });

  it('is a tab next to My API Tokens for an administrator', async () => {
    const view = await openTokens('/tokens/mine');
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['My API Tokens', 'Token Manager']);
    await view.user.click(screen.getByRole('tab', { name: 'Token Manager' }));
    await waitFor(() => expect(view.router.state.location.pathname).toBe('/tokens/manage'));
    expect(await screen.findByRole('button', { name: 'Revoke all tokens of a user…' })).toBeInTheDocument();
  });
});

describe('read-only access', () => {
  /** No way to change anything: no create, select, edit, rotate or revoke; only the audit records. */
  async function expectReadOnly(view: Awaited<ReturnType<typeof openTokens>>, token: Token) {
    expect(screen.getByText(/You can view these tokens but not change them\./)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Create token' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Revoke/ })).not.toBeInTheDocument();
    expect(within(table()).queryAllByRole('checkbox')).toEqual([]);
    await view.user.click(
      within(rowOf(token)).getByRole('button', { name: `Actions for ${token.description}` }),
    );
    const menu = await screen.findByRole('menu');
    expect(
      within(menu)
        .getAllByRole('menuitem')
        .map((item) => item.textContent),
    ).toEqual(['Audit records']);
    await view.user.keyboard('{Escape}');
  }

  it('shows an auditor their tokens without any way to change them', async () => {
    const view = await openTokens('/tokens', 'auditor');
    expect(view.router.state.location.pathname).toBe('/tokens/mine');
    const mine = tokensOf(view, 'auditor');
    expect(bodyRows()).toHaveLength(mine.length);
    expect(within(rowOf(mine[0]!)).getByRole('rowheader')).toHaveTextContent(mine[0]!.description);
    await expectReadOnly(view, mine[0]!);
  });

  it("shows an auditor the Token Manager, every user's tokens, read-only", async () => {
    const view = await openTokens('/tokens/manage', 'auditor');
    expect(view.router.state.location.pathname).toBe('/tokens/manage');
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['My API Tokens', 'Token Manager']);
    expect(screen.getByRole('tab', { name: 'Token Manager' })).toHaveAttribute('aria-selected', 'true');
    const total = view.host.data().tokens.length;
    expect(screen.getByText(`Showing 1–50 of ${total} tokens`)).toBeInTheDocument();
    expect(columnNames()).toContain('Owner');
    await expectReadOnly(view, (await storeList(view, {})).items[0]!);
  });

  it('shows a regular user no Token Manager', async () => {
    const view = await openTokens('/tokens/manage', 'jdoe');
    expect(view.router.state.location.pathname).toBe('/tokens/mine');
    expect(screen.queryByRole('tab', { name: 'Token Manager' })).not.toBeInTheDocument();
  });
});
