import { screen, within } from '@testing-library/react';
import { delay, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { renderApp } from '@/test/render';
import { problemResponse, testServer } from '@/test/server';
import {
  bodyRows,
  cell,
  columnNames,
  openTokens,
  rowOf,
  seededToken,
  shownDateTime,
  statusOf,
  storeList,
  tokensOf,
  TOKENS_URL,
} from './test-kit';

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
