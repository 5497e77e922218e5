import { screen, waitFor, within } from '@testing-library/react';
import { expect } from 'vitest';
import { BASE_PATH } from '@contract/api';
import { TokenListQuerySchema, tokenStatus, type Token, type TokenListQuery } from '@contract/tokens';
import { formatDate, formatTime } from '@/lib/time';
import { renderApp } from '@/test/render';

/** What the tests of the token pages share: opening the pages and dialogs, and reading the table. */

export type View = ReturnType<typeof renderApp>;

export const TOKENS_URL = `*${BASE_PATH}/tokens`;
export const WARNING_DAYS = 14;

/** Renders the console at `route` and waits for the token table. */
export async function openTokens(route = '/tokens/mine', as?: string) {
  const view = renderApp(route, { as });
  await screen.findByRole('table', { name: 'API tokens' });
  return view;
}

export const table = () => screen.getByRole('table', { name: 'API tokens' });

/** A date and time as a table cell shows it: the date, and the time under it. */
export const shownDateTime = (iso: string) => formatDate(iso) + formatTime(iso);

/** The table's column names, as read (sort arrows are hidden from assistive technology). */
export function columnNames(): string[] {
  return within(table())
    .getAllByRole('columnheader')
    .map((header) => (header.textContent ?? '').replace(/[↕▲▼]/g, '').trim());
}

export function bodyRows(): HTMLTableRowElement[] {
  return within(table()).getAllByRole('row').slice(1) as HTMLTableRowElement[];
}

/** The row of a token, found by its id (shown under the description). */
export function rowOf(token: Pick<Token, 'id'>): HTMLTableRowElement {
  const row = within(table()).getByText(token.id).closest('tr');
  if (!row) throw new Error(`no row for ${token.id}`);
  return row;
}

/** The cell of a row in the named column. */
export function cell(row: HTMLTableRowElement, column: string): HTMLElement {
  const index = columnNames().indexOf(column);
  if (index < 0) throw new Error(`no column ${column}`);
  return row.cells[index]!;
}

/** The token ids of the rows, top to bottom. */
export const rowIds = () =>
  bodyRows().map((row) => /tok_[a-z0-9]+/.exec(within(row).getByRole('rowheader').textContent ?? '')?.[0]);

export function tokensOf(view: View, username: string): Token[] {
  return view.host.data().tokens.filter((t) => t.ownerUsername === username);
}

export function seededToken(view: View, username: string, predicate: (t: Token) => boolean): Token {
  const token = tokensOf(view, username).find(predicate);
  if (!token) throw new Error(`the seed has no such token of ${username}`);
  return token;
}

export const statusOf = (token: Token) => tokenStatus(token, new Date(), WARNING_DAYS);

/** The backend's list, as the store answers it. */
export async function storeList(view: View, query: Partial<TokenListQuery>, owner?: string) {
  const ownerKey = owner ? (await view.host.store().findUserByUsername(owner))!.key : undefined;
  return view.host.store().listTokens({
    ...TokenListQuerySchema.parse({}),
    ...query,
    ...(ownerKey && { ownerKey }),
    now: new Date(),
    expiryWarningDays: WARNING_DAYS,
  });
}

/** Opens "Create token" and waits for its form (after the token policy has loaded). */
export async function openCreateDialog(view: View) {
  await view.user.click(screen.getByRole('button', { name: 'Create token' }));
  const dialog = await screen.findByRole('dialog', { name: 'Create token' });
  await within(dialog).findByRole('textbox', { name: 'Description' });
  return dialog;
}

export const submitButton = (dialog: HTMLElement) =>
  within(dialog).getByRole('button', { name: 'Create token' });

/** The term → definition pairs of a summary. */
export function summaryOf(container: HTMLElement): Record<string, string> {
  return Object.fromEntries(
    within(container)
      .getAllByRole('term')
      .map((term) => [term.textContent ?? '', term.nextElementSibling?.textContent ?? '']),
  );
}

export async function expectToast(title: string) {
  expect((await screen.findAllByText(title)).length).toBeGreaterThan(0);
}

/** Opens a row's actions menu and picks one of them. */
export async function rowAction(
  view: View,
  token: Pick<Token, 'id' | 'description'>,
  action: 'Audit records' | 'Edit…' | 'Rotate…' | 'Revoke…',
) {
  await view.user.click(
    within(rowOf(token)).getByRole('button', { name: `Actions for ${token.description}` }),
  );
  await view.user.click(await screen.findByRole('menuitem', { name: action }));
}

/** Waits until no dialog is open. */
export const noDialog = () => waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
