import { screen, waitFor, within } from '@testing-library/react';
import { http } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { BASE_PATH } from '@contract/api';
import { formatDateTime } from '@/lib/time';
import { renderApp, saveSettingsBehindTheScenes } from '@/test/render';
import { problemResponse, testServer } from '@/test/server';
import { hashSecret } from '../../../backend/auth/secrets';
import {
  openCreateDialog,
  openTokens,
  rowOf,
  storeList,
  submitButton,
  summaryOf,
  table,
  TOKENS_URL,
} from './test-kit';

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
