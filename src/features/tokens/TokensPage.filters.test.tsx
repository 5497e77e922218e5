import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { bodyRows, cell, expectToast, openTokens, rowIds, statusOf, storeList, tokensOf } from './test-kit';

describe('filters, sorting and paging', () => {
  it('filters by scope, in the address bar, and every row then has that scope', async () => {
    const view = await openTokens('/tokens/manage');
    const scope = screen.getByRole('combobox', { name: 'Scope' });
    // (user-event matches option text by innerHTML, where "&" is "&amp;": choose the option itself.)
    await view.user.selectOptions(scope, within(scope).getByRole('option', { name: 'Read & Write' }));

    await waitFor(() => expect(view.router.state.location.search).toContain('scope=READ_WRITE'));
    const total = view.host.data().tokens.filter((t) => t.scope === 'READ_WRITE').length;
    expect(await screen.findByText(`Showing 1–50 of ${total} tokens`)).toBeInTheDocument();
    const rows = bodyRows();
    expect(rows).toHaveLength(50);
    for (const row of rows) expect(cell(row, 'Scope')).toHaveTextContent(/^Read & Write$/);
  });

  it('says "Showing 1 of 1 token" for a single token, not "1–1 of 1 tokens"', async () => {
    const view = await openTokens();
    const mine = tokensOf(view, 'admin');
    const token = mine.find((t) => mine.filter((o) => o.description.includes(t.description)).length === 1)!;
    await view.user.type(screen.getByRole('searchbox', { name: 'Description' }), token.description);
    await waitFor(() => expect(bodyRows()).toHaveLength(1));
    expect(await screen.findByText('Showing 1 of 1 token')).toBeInTheDocument();
  });

  it('filters by status with a checkbox', async () => {
    const view = await openTokens('/tokens/manage');
    const expired = screen.getByRole('checkbox', { name: 'Expired' });
    await view.user.click(expired);

    await waitFor(() => expect(view.router.state.location.search).toContain('status=expired'));
    expect(expired).toBeChecked();
    const total = view.host.data().tokens.filter((t) => statusOf(t).status === 'expired').length;
    expect(
      await screen.findByText(`Showing 1–${Math.min(50, total)} of ${total} tokens`),
    ).toBeInTheDocument();
    for (const row of bodyRows()) expect(within(cell(row, 'Expires')).getByText('Expired')).toBeVisible();
  });

  it('sorts by a column and marks it with aria-sort', async () => {
    const view = await openTokens();
    const created = screen.getByRole('columnheader', { name: 'Created' });
    const expires = screen.getByRole('columnheader', { name: 'Expires' });
    expect(created).toHaveAttribute('aria-sort', 'descending');
    expect(expires).toHaveAttribute('aria-sort', 'none');

    await view.user.click(within(expires).getByRole('button', { name: 'Expires' }));
    await waitFor(() =>
      expect(screen.getByRole('columnheader', { name: 'Expires' })).toHaveAttribute(
        'aria-sort',
        'descending',
      ),
    );
    expect(screen.getByRole('columnheader', { name: 'Created' })).toHaveAttribute('aria-sort', 'none');
    expect(new URLSearchParams(view.router.state.location.search).get('sort')).toBe('expiresAt');
    const descending = (await storeList(view, { sort: 'expiresAt', order: 'desc' }, 'admin')).items.map(
      (t) => t.id,
    );
    await waitFor(() => expect(rowIds()).toEqual(descending));

    await view.user.click(within(screen.getByRole('columnheader', { name: 'Expires' })).getByRole('button'));
    await waitFor(() =>
      expect(screen.getByRole('columnheader', { name: 'Expires' })).toHaveAttribute('aria-sort', 'ascending'),
    );
    expect(new URLSearchParams(view.router.state.location.search).get('order')).toBe('asc');
    const ascending = (await storeList(view, { sort: 'expiresAt', order: 'asc' }, 'admin')).items.map(
      (t) => t.id,
    );
    await waitFor(() => expect(rowIds()).toEqual(ascending));
    expect(ascending).not.toEqual(descending);
  });

  it('pages through the Token Manager', async () => {
    const view = await openTokens('/tokens/manage');
    const total = view.host.data().tokens.length;
    const pages = Math.ceil(total / 50);
    expect(screen.getByText(`Showing 1–50 of ${total} tokens`)).toBeInTheDocument();
    expect(screen.getByText(`Page 1 of ${pages}`)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();

    await view.user.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText(`Showing 51–100 of ${total} tokens`)).toBeInTheDocument();
    expect(screen.getByText(`Page 2 of ${pages}`)).toBeInTheDocument();
    expect(new URLSearchParams(view.router.state.location.search).get('page')).toBe('2');
    expect(screen.getByRole('button', { name: 'Previous' })).toBeEnabled();
    expect(rowIds()).toEqual((await storeList(view, { page: 2 })).items.map((t) => t.id));
  });

  it('after revoking every token of the last page, shows the page before, not an empty table', async () => {
    const view = await openTokens('/tokens/manage?page=7');
    const total = view.host.data().tokens.length;
    expect(screen.getByText(`Showing 301–${total} of ${total} tokens`)).toBeInTheDocument();
    const onLastPage = bodyRows().length;
    expect(onLastPage).toBe(total - 300);

    await view.user.click(screen.getByRole('checkbox', { name: 'Select all tokens on this page' }));
    await view.user.click(screen.getByRole('button', { name: 'Revoke selected' }));
    const confirm = await screen.findByRole('alertdialog', { name: `Revoke ${onLastPage} tokens?` });
    await view.user.click(within(confirm).getByRole('button', { name: `Revoke ${onLastPage} tokens` }));
    await expectToast(`${onLastPage} tokens revoked`);

    expect(await screen.findByText(`Showing 251–300 of ${total - onLastPage} tokens`)).toBeInTheDocument();
    expect(bodyRows()).toHaveLength(50);
  });

  it('keeps a filter chosen right after typing a search', async () => {
    const view = await openTokens('/tokens/manage');
    await view.user.type(screen.getByRole('searchbox', { name: 'Description' }), 'Jira');
    await view.user.click(screen.getByRole('checkbox', { name: 'Expired' }));

    await waitFor(() => expect(new URLSearchParams(view.router.state.location.search).get('q')).toBe('Jira'));
    const params = new URLSearchParams(view.router.state.location.search);
    expect(params.getAll('status')).toEqual(['expired']);
    expect(screen.getByRole('checkbox', { name: 'Expired' })).toBeChecked();
  });

  it('applies Owners as it is typed, and keeps it when another filter changes (what the box says is applied)', async () => {
    const view = await openTokens('/tokens/manage');
    const owners = screen.getByRole('searchbox', { name: 'Owners' });
    await view.user.type(owners, 'svc-backup');
    await view.user.click(screen.getByRole('checkbox', { name: 'Active' }));
    await view.user.selectOptions(screen.getByRole('combobox', { name: 'Scope' }), 'READ_ONLY');

    const params = new URLSearchParams(view.router.state.location.search);
    expect(params.getAll('owner')).toEqual(['svc-backup']);
    expect(params.getAll('status')).toEqual(['active']);
    expect(params.get('scope')).toBe('READ_ONLY');
    expect(owners).toHaveValue('svc-backup');
    const expected = tokensOf(view, 'svc-backup').filter(
      (t) => statusOf(t).status === 'active' && t.scope === 'READ_ONLY',
    );
    expect(expected.length).toBeGreaterThan(0);
    await waitFor(() => expect(bodyRows()).toHaveLength(expected.length));
    for (const row of bodyRows()) expect(cell(row, 'Owner')).toHaveTextContent('svc-backup');
  });

  it('reads a typed list of owners however it is spaced, and the box follows "Clear filters"', async () => {
    const view = await openTokens('/tokens/manage');
    const owners = screen.getByRole('searchbox', { name: 'Owners' });
    await view.user.type(owners, 'svc-backup,  jdoe ');
    expect(new URLSearchParams(view.router.state.location.search).getAll('owner')).toEqual([
      'svc-backup',
      'jdoe',
    ]);
    expect(owners).toHaveValue('svc-backup,  jdoe ');

    await view.user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(view.router.state.location.search).toBe('');
    expect(owners).toHaveValue('');
  });

  it('falls back to the defaults for invalid parameters in the address', async () => {
    const view = await openTokens('/tokens/mine?status=bogus&page=-4&sort=owner');
    const count = tokensOf(view, 'admin').length;
    expect(screen.getByText(`Showing 1–${count} of ${count} tokens`)).toBeInTheDocument();
    expect(screen.getByText('Page 1 of 1')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    for (const status of ['Active', 'Expiring soon', 'Expired'])
      expect(screen.getByRole('checkbox', { name: status })).not.toBeChecked();
    expect(screen.getByRole('columnheader', { name: 'Created' })).toHaveAttribute('aria-sort', 'descending');
  });
});
