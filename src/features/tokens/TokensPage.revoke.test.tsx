import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  bodyRows,
  expectToast,
  openTokens,
  rowAction,
  rowOf,
  seededToken,
  storeList,
  summaryOf,
  table,
  tokensOf,
} from './test-kit';

describe('revoking tokens', () => {
  it('confirms with the token id and scope, then removes the row and the token', async () => {
    const view = await openTokens();
    const token = seededToken(view, 'admin', (t) => t.scope === 'READ_WRITE');
    await rowAction(view, token, 'Revoke…');

    const confirm = await screen.findByRole('alertdialog', { name: 'Revoke this token?' });
    expect(within(confirm).getByText(token.id)).toBeInTheDocument();
    expect(summaryOf(confirm)).toMatchObject({
      Description: token.description,
      Owner: 'admin',
      Scope: 'Read & Write',
      'Token ID': token.id,
    });
    expect(confirm).toHaveTextContent('stop working at once');

    await view.user.click(within(confirm).getByRole('button', { name: 'Revoke token' }));
    await expectToast('Token revoked');
    await waitFor(() => expect(within(table()).queryByText(token.id)).not.toBeInTheDocument());
    expect(await view.host.store().getToken(token.id)).toBeUndefined();
    expect(bodyRows()).toHaveLength(tokensOf(view, 'admin').length - 1);
  });

  it('cancelling keeps the token', async () => {
    const view = await openTokens();
    const token = tokensOf(view, 'admin')[0]!;
    await rowAction(view, token, 'Revoke…');
    const confirm = await screen.findByRole('alertdialog', { name: 'Revoke this token?' });
    await view.user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(await view.host.store().getToken(token.id)).toBeDefined();
    expect(rowOf(token)).toBeInTheDocument();
  });

  it('revokes the selected rows together', async () => {
    const view = await openTokens();
    const [first, second] = (await storeList(view, {}, 'admin')).items;
    await view.user.click(
      within(rowOf(first!)).getByRole('checkbox', { name: `Select ${first!.description}` }),
    );
    await view.user.click(
      within(rowOf(second!)).getByRole('checkbox', { name: `Select ${second!.description}` }),
    );
    expect(screen.getByText('2 selected')).toBeInTheDocument();

    await view.user.click(screen.getByRole('button', { name: 'Revoke selected' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Revoke 2 tokens?' });
    expect(confirm).toHaveTextContent(first!.description);
    expect(confirm).toHaveTextContent(second!.description);
    await view.user.click(within(confirm).getByRole('button', { name: 'Revoke 2 tokens' }));

    await expectToast('2 tokens revoked');
    expect(await view.host.store().getToken(first!.id)).toBeUndefined();
    expect(await view.host.store().getToken(second!.id)).toBeUndefined();
    await waitFor(() => expect(bodyRows()).toHaveLength(tokensOf(view, 'admin').length - 2));
    expect(screen.queryByText('2 selected')).not.toBeInTheDocument();
  });
});
