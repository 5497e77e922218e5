import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { delay, http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { BASE_PATH } from '@contract/api';
import { dayBoundary, formatDate, formatDateTime } from '@/lib/time';
import type { Token } from '@contract/tokens';
import { renderApp, saveSettingsBehindTheScenes } from '@/test/render';
import { problemResponse, testServer } from '@/test/server';
import { hashSecret } from '../../../backend/auth/secrets';
import {
  bodyRows,
  cell,
  columnNames,
  expectToast,
  openCreateDialog,
  openTokens,
  rowAction,
  rowIds,
  rowOf,
  seededToken,
  shownDateTime,
  statusOf,
  storeList,
  submitButton,
  summaryOf,
  table,
  tokensOf,
  TOKENS_URL,
} from './test-kit';

/** A text as a regular expression that matches it literally. */
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// ---------------------------------------------------------------------------------------------
// The list
// ---------------------------------------------------------------------------------------------

describe('the token list', () => {
  it('shows a loading state, then the table of my tokens with their columns', async () => {
    // Hold the list back a moment, then let the backend answer.
    testServer.use(
      http.get(TOKENS_URL, async () => {
        await delay(150);
      }),
    );
    const view = renderApp('/tokens/mine');
    expect(await screen.findByText('Loading tokens…')).toBeInTheDocument();
    await screen.findByRole('table', { name: 'API tokens' });
    expect(screen.queryByText('Loading tokens…')).not.toBeInTheDocument();

    expect(columnNames().filter(Boolean)).toEqual([
      'Description',
      'Scope',
      'Created',
      'Expires',
      'Last used',
      'IP restrictions',
      'Actions',
    ]);
    const mine = tokensOf(view, 'admin');
    expect(bodyRows()).toHaveLength(mine.length);
    expect(screen.getByText(`Showing 1–${mine.length} of ${mine.length} tokens`)).toBeInTheDocument();
  });

  it('shows the values of a token: scope, dates, last use, IP restrictions', async () => {
    const view = await openTokens();
    const restricted = seededToken(
      view,
      'admin',
      (t) => t.ipRestrictions.length > 1 && t.lastUsedAt !== null,
    );
    const row = rowOf(restricted);
    expect(within(row).getByRole('rowheader')).toHaveTextContent(restricted.description);
    expect(cell(row, 'Scope')).toHaveTextContent(
      restricted.scope === 'READ_ONLY' ? 'Read Only' : 'Read & Write',
    );
    expect(cell(row, 'Created')).toHaveTextContent(shownDateTime(restricted.createdAt));
    expect(cell(row, 'Last used')).toHaveTextContent(shownDateTime(restricted.lastUsedAt!));
    expect(cell(row, 'Last used')).toHaveTextContent(restricted.lastUsedIp!);
    expect(cell(row, 'IP restrictions')).toHaveTextContent(restricted.ipRestrictions.join(', '));

    const unrestricted = seededToken(view, 'admin', (t) => t.ipRestrictions.length === 0);
    expect(cell(rowOf(unrestricted), 'IP restrictions')).toHaveTextContent('Any address');
  });

  it('says "Never" for a token never used and one that never expires, and warns of no expiry', async () => {
    const view = await openTokens();
    const neverUsed = seededToken(view, 'admin', (t) => t.lastUsedAt === null);
    expect(cell(rowOf(neverUsed), 'Last used')).toHaveTextContent(/^Never$/);
    const neverExpires = seededToken(view, 'admin', (t) => t.expiresAt === null);
    const expires = cell(rowOf(neverExpires), 'Expires');
    expect(expires).toHaveTextContent(/^NeverNo expiry$/);
    expect(within(expires).getByText('No expiry')).toBeVisible();
    const expiring = seededToken(view, 'admin', (t) => t.expiresAt !== null);
    expect(within(cell(rowOf(expiring), 'Expires')).queryByText('No expiry')).not.toBeInTheDocument();
  });

  it('marks an expiring token "Expires in N days" and an expired one "Expired"', async () => {
    const view = await openTokens();
    const expiring = seededToken(view, 'admin', (t) => statusOf(t).status === 'expiring');
    const { daysLeft } = statusOf(expiring);
    const expiringCell = cell(rowOf(expiring), 'Expires');
    expect(expiringCell).toHaveTextContent(shownDateTime(expiring.expiresAt!));
    expect(
      within(expiringCell).getByText(`Expires in ${daysLeft} ${daysLeft === 1 ? 'day' : 'days'}`),
    ).toBeVisible();
    expect(expiringCell).not.toHaveTextContent('Expired');

    const expired = seededToken(view, 'admin', (t) => statusOf(t).status === 'expired');
    const expiredCell = cell(rowOf(expired), 'Expires');
    expect(within(expiredCell).getByText('Expired')).toBeVisible();
    expect(expiredCell).not.toHaveTextContent(/Expires in/);

    const active = seededToken(view, 'admin', (t) => statusOf(t).status === 'active' && t.expiresAt !== null);
    expect(cell(rowOf(active), 'Expires')).toHaveTextContent(
      new RegExp(`^${shownDateTime(active.expiresAt!)}$`),
    );
  });

  it('adds the Owner column in the Token Manager', async () => {
    const view = await openTokens('/tokens/manage');
    expect(screen.getByRole('tab', { name: 'Token Manager' })).toHaveAttribute('aria-selected', 'true');
    expect(columnNames().filter(Boolean)).toEqual([
      'Description',
      'Owner',
      'Scope',
      'Created',
      'Expires',
      'Last used',
      'IP restrictions',
      'Actions',
    ]);
    const [first] = (await storeList(view, {})).items;
    expect(cell(rowOf(first!), 'Owner')).toHaveTextContent(first!.ownerUsername);
  });
});

describe('empty and error states', () => {
  it('tells a user without tokens that they have none yet, and offers to create one', async () => {
    const view = renderApp('/tokens/mine', { as: 'jdoe' });
    await view.host.store().deleteTokensOfUser((await view.host.store().findUserByUsername('jdoe'))!.key);

    expect(await screen.findByText('You have no API tokens yet')).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'API tokens' })).not.toBeInTheDocument();
    expect(screen.getByText(/Create a token to authenticate REST requests/)).toBeInTheDocument();
    await view.user.click(screen.getByRole('button', { name: 'Create token' }));
    expect(await screen.findByRole('dialog', { name: 'Create token' })).toBeInTheDocument();
  });

  it('says no token matches when the filters match nothing, with the search in the address', async () => {
    const view = await openTokens();
    await view.user.type(screen.getByRole('searchbox', { name: 'Description' }), 'zzz no such token');

    expect(await screen.findByText('No tokens match these filters')).toBeInTheDocument();
    expect(new URLSearchParams(view.router.state.location.search).get('q')).toBe('zzz no such token');
    expect(screen.queryByText('You have no API tokens yet')).not.toBeInTheDocument();

    await view.user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await screen.findByRole('table', { name: 'API tokens' });
    expect(view.router.state.location.search).toBe('');
  });

  it('shows an alert with "Try again" when the list cannot be loaded, and recovers', async () => {
    let failing = true;
    testServer.use(
      http.get(TOKENS_URL, () =>
        failing ? problemResponse(500, 'Something went wrong on the server.') : undefined,
      ),
    );
    const view = renderApp('/tokens/mine');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Internal Server Error');
    expect(alert).toHaveTextContent('Something went wrong on the server.');
    expect(screen.queryByRole('table', { name: 'API tokens' })).not.toBeInTheDocument();

    failing = false;
    await view.user.click(within(alert).getByRole('button', { name: 'Try again' }));
    await screen.findByRole('table', { name: 'API tokens' });
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(bodyRows()).toHaveLength(tokensOf(view, 'admin').length);
  });
});

// ---------------------------------------------------------------------------------------------
// Filters, sorting, paging
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Creating a token
// ---------------------------------------------------------------------------------------------

describe('creating a token', () => {
  it('asks for a description, and creates nothing without one', async () => {
    const view = await openTokens();
    const before = (await storeList(view, {}, 'admin')).total;
    const dialog = await openCreateDialog(view);
    const description = within(dialog).getByRole('textbox', { name: 'Description' });

    await view.user.click(submitButton(dialog));
    expect(within(dialog).getByText('Enter a description.')).toBeInTheDocument();
    expect(description).toHaveAttribute('aria-invalid', 'true');
    expect(description).toHaveAccessibleDescription(expect.stringContaining('Enter a description.'));

    await view.user.click(description);
    await view.user.paste('x'.repeat(256));
    expect(within(dialog).queryByText('Enter a description.')).not.toBeInTheDocument();
    await view.user.click(submitButton(dialog));
    expect(within(dialog).getByText('At most 255 characters.')).toBeInTheDocument();
    expect(description).toHaveAccessibleDescription(expect.stringContaining('At most 255 characters.'));

    expect((await storeList(view, {}, 'admin')).total).toBe(before);
    expect(screen.getByRole('dialog', { name: 'Create token' })).toBeInTheDocument();
  });

  it('says why a typed IP entry is invalid and does not let it be added', async () => {
    const view = await openTokens();
    const dialog = await openCreateDialog(view);
    const ip = within(dialog).getByRole('textbox', { name: 'IP restrictions' });
    const add = within(dialog).getByRole('button', { name: 'Add' });

    await view.user.type(ip, '10.0.0.300');
    expect(
      within(dialog).getByText('"10.0.0.300" is not a valid IP address (e.g. 203.0.113.7 or 2001:db8::1).'),
    ).toBeInTheDocument();
    expect(ip).toHaveAttribute('aria-invalid', 'true');
    expect(add).toBeDisabled();

    await view.user.clear(ip);
    await view.user.type(ip, '10.0.0.5/8');
    expect(
      within(dialog).getByText('Not the start of a range: did you mean 10.0.0.0/8?'),
    ).toBeInTheDocument();
    expect(add).toBeDisabled();

    await view.user.clear(ip);
    await view.user.type(ip, '10.0.0.0/8');
    expect(add).toBeEnabled();
    await view.user.click(add);
    expect(
      within(within(dialog).getByRole('list', { name: 'IP restrictions' })).getByText('10.0.0.0/8'),
    ).toBeVisible();
  });

  it('creates a token and shows its secret once, with copy, summary and examples; "Create another" keeps the settings', async () => {
    const view = await openTokens();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText').mockResolvedValue(undefined);
    let dialog = await openCreateDialog(view);

    await view.user.type(within(dialog).getByRole('textbox', { name: 'Description' }), 'Deploy bot');
    await view.user.click(within(dialog).getByRole('radio', { name: 'Read & Write' }));
    await view.user.selectOptions(within(dialog).getByRole('combobox', { name: 'Expires' }), '90 days');
    await view.user.type(within(dialog).getByRole('textbox', { name: 'IP restrictions' }), '203.0.113.7');
    await view.user.click(within(dialog).getByRole('button', { name: 'Add' }));
    await view.user.click(submitButton(dialog));

    dialog = await screen.findByRole('dialog', { name: 'Token created' });
    const secret = within(dialog).getByRole<HTMLInputElement>('textbox', {
      name: 'Your new API token',
    }).value;
    expect(secret).toMatch(/^atc_[0-9A-Za-z]{40}$/);
    expect(within(dialog).getByText(/This is the only time it is shown/)).toBeInTheDocument();

    const stored = await view.host.store().findTokenByHash(hashSecret(secret));
    expect(stored).toMatchObject({
      description: 'Deploy bot',
      ownerUsername: 'admin',
      scope: 'READ_WRITE',
      ipRestrictions: ['203.0.113.7'],
    });
    const days = (Date.parse(stored!.expiresAt!) - Date.parse(stored!.createdAt)) / 86_400_000;
    expect(days).toBeGreaterThan(89.99);
    expect(days).toBeLessThan(90.01);
    expect(summaryOf(dialog)).toEqual({
      Description: 'Deploy bot',
      Owner: 'admin',
      Scope: 'Read & Write',
      Expires: formatDateTime(stored!.expiresAt!),
      'IP restrictions': '203.0.113.7',
      'Token ID': stored!.id,
    });

    const endpoint = `${window.location.origin}/rest/api/2/myself`;
    expect(within(dialog).getByText(`curl -u admin:${secret} ${endpoint}`)).toBeInTheDocument();
    expect(
      within(dialog).getByText(`curl -H "Authorization: Bearer ${secret}" ${endpoint}`),
    ).toBeInTheDocument();

    await view.user.click(within(dialog).getByRole('button', { name: 'Copy the token' }));
    expect(writeText).toHaveBeenCalledWith(secret);
    expect(await within(dialog).findByText('Copied to the clipboard.')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Copy the token' })).toHaveTextContent('Copied');

    // "Create another with the same settings": the form again, as it was.
    await view.user.click(
      within(dialog).getByRole('button', { name: 'Create another with the same settings' }),
    );
    dialog = await screen.findByRole('dialog', { name: 'Create token' });
    expect(document.body.innerHTML).not.toContain(secret);
    expect(within(dialog).getByRole('textbox', { name: 'Description' })).toHaveValue('Deploy bot');
    expect(within(dialog).getByRole('radio', { name: 'Read & Write' })).toBeChecked();
    expect(within(dialog).getByRole('combobox', { name: 'Expires' })).toHaveDisplayValue('90 days');
    expect(
      within(within(dialog).getByRole('list', { name: 'IP restrictions' })).getByText('203.0.113.7'),
    ).toBeVisible();

    await view.user.click(submitButton(dialog));
    dialog = await screen.findByRole('dialog', { name: 'Token created' });
    const second = within(dialog).getByRole<HTMLInputElement>('textbox', {
      name: 'Your new API token',
    }).value;
    expect(second).toMatch(/^atc_/);
    expect(second).not.toBe(secret);

    // "Done" closes, and the secret is gone from the page.
    await view.user.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(document.body.innerHTML).not.toContain(second);
    expect(document.body.innerHTML).not.toContain(secret);
    await waitFor(() => expect(within(table()).getAllByText('Deploy bot')).toHaveLength(2));
    expect(rowOf(stored!)).toBeInTheDocument();
  });

  it('forgets the secret once "Done" closed the dialog, in the query client too', async () => {
    const view = await openTokens();
    let dialog = await openCreateDialog(view);
    await view.user.type(within(dialog).getByRole('textbox', { name: 'Description' }), 'Short-lived secret');
    await view.user.click(submitButton(dialog));
    dialog = await screen.findByRole('dialog', { name: 'Token created' });
    const secret = within(dialog).getByRole<HTMLInputElement>('textbox', {
      name: 'Your new API token',
    }).value;
    expect(secret).toMatch(/^atc_/);
    await view.user.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(document.body.innerHTML).not.toContain(secret);

    const holding = view.queryClient
      .getMutationCache()
      .getAll()
      .filter((mutation) => JSON.stringify(mutation.state.data ?? null).includes(secret));
    expect(holding).toHaveLength(0);
  });

  it('finds an owner in the directory, and says so when the directory cannot be searched', async () => {
    const view = await openTokens('/tokens/manage');
    const dialog = await openCreateDialog(view);
    const search = within(dialog).getByRole('searchbox', { name: 'Owner' });
    expect(search).toHaveAttribute('maxLength', '255');
    await view.user.type(search, 'jdoe');
    const matches = await within(dialog).findByRole('list', { name: 'Users matching jdoe' });
    expect(await within(matches).findByRole('button', { name: /\(jdoe\)/ })).toBeInTheDocument();

    testServer.use(
      http.get(`*${BASE_PATH}/users`, () =>
        problemResponse(400, 'The search text is not valid.', { q: 'At most 255 characters.' }),
      ),
    );
    await view.user.type(search, 'x');
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('The directory could not be searched: The search text is not valid.');
    expect(search).toHaveValue('jdoex');
  });

  it('shows the field message of a 422 next to the field and keeps what was typed', async () => {
    testServer.use(
      http.post(TOKENS_URL, () =>
        problemResponse(422, 'Some values are not valid.', {
          description: 'A token with this description exists already.',
        }),
      ),
    );
    const view = await openTokens();
    const before = (await storeList(view, {}, 'admin')).total;
    const dialog = await openCreateDialog(view);
    const description = within(dialog).getByRole('textbox', { name: 'Description' });
    await view.user.type(description, 'Jira admin scripts');
    await view.user.click(within(dialog).getByRole('radio', { name: 'Read & Write' }));
    await view.user.click(submitButton(dialog));

    expect(
      await within(dialog).findByText('A token with this description exists already.'),
    ).toBeInTheDocument();
    expect(description).toHaveAccessibleDescription(
      expect.stringContaining('A token with this description exists already.'),
    );
    expect(description).toHaveValue('Jira admin scripts');
    expect(within(dialog).getByRole('radio', { name: 'Read & Write' })).toBeChecked();
    expect(within(dialog).queryByText('The token was not created')).not.toBeInTheDocument();
    expect((await storeList(view, {}, 'admin')).total).toBe(before);
  });

  it('says the token was not created on a server error, and keeps the description', async () => {
    testServer.use(http.post(TOKENS_URL, () => problemResponse(500, 'Something went wrong on the server.')));
    const view = await openTokens();
    const dialog = await openCreateDialog(view);
    await view.user.type(within(dialog).getByRole('textbox', { name: 'Description' }), 'Nightly export');
    await view.user.click(submitButton(dialog));

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('The token was not created');
    expect(alert).toHaveTextContent('Your entries are kept; try again.');
    expect(within(dialog).getByRole('textbox', { name: 'Description' })).toHaveValue('Nightly export');
    expect(submitButton(dialog)).toBeEnabled();
  });
});

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

describe('a scope locked by the policy', () => {
  it('locks a regular user to Read Only and says why', async () => {
    const view = renderApp('/tokens/mine', { as: 'jdoe' });
    await saveSettingsBehindTheScenes(view, (s) => {
      s.authentication.tokenPolicy.forceReadOnlyForRegularUsers = true;
    });
    await screen.findByRole('table', { name: 'API tokens' });
    const dialog = await openCreateDialog(view);

    expect(within(dialog).getByRole('radio', { name: 'Read & Write' })).toBeDisabled();
    expect(within(dialog).getByRole('radio', { name: 'Read Only' })).toBeChecked();
    expect(within(dialog).getByText(/Locked to Read Only/)).toBeInTheDocument();
    expect(within(dialog).getByRole('group', { name: 'Scope' })).toHaveAccessibleDescription(
      /Locked to Read Only: the token policy forces Read Only scope for regular users\./,
    );
  });

  it('does not lock an administrator', async () => {
    const view = renderApp('/tokens/mine');
    await saveSettingsBehindTheScenes(view, (s) => {
      s.authentication.tokenPolicy.forceReadOnlyForRegularUsers = true;
    });
    await screen.findByRole('table', { name: 'API tokens' });
    const dialog = await openCreateDialog(view);

    const readWrite = within(dialog).getByRole('radio', { name: 'Read & Write' });
    expect(readWrite).toBeEnabled();
    expect(within(dialog).queryByText(/Locked to Read Only/)).not.toBeInTheDocument();
    await view.user.click(readWrite);
    expect(readWrite).toBeChecked();
  });
});

// ---------------------------------------------------------------------------------------------
// Revoking and editing
// ---------------------------------------------------------------------------------------------

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
