import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { saveSettingsBehindTheScenes } from '@/test/render';
import { problemResponse, testServer } from '@/test/server';
import {
  SETTINGS_URL,
  CONFLICT_TITLE,
  openSettings,
  field,
  saveBar,
  typeNumber,
  turnOnRateLimiting,
  recordSettingsPuts,
  savedSettings,
  expectSaved,
} from './test-kit';

describe('someone else saved meanwhile (412)', () => {
  async function editThenConflict() {
    const view = await openSettings();
    await view.user.click(screen.getByRole('switch', { name: 'Rate limiting' }));
    await saveSettingsBehindTheScenes(
      view,
      (s) => void (s.authentication.rateLimit.requestsPerMinute = 1200),
    );
    await view.user.click(saveBar().save);
    const dialog = await screen.findByRole('alertdialog', { name: CONFLICT_TITLE });
    return { view, dialog };
  }

  it('shows the conflict where the user is: a dialog that has the focus, and the save bar', async () => {
    const { view, dialog } = await editThenConflict();
    expect(dialog).toContainElement(document.activeElement as HTMLElement);
    expect(saveBar().status).toHaveTextContent(
      'Not saved: someone else saved the settings first. Your changes are kept.',
    );
    expect(saveBar().status).not.toHaveTextContent('Unsaved changes');

    // Closed without a choice (Escape: the browser cancels the dialog), it opens again from the save bar.
    fireEvent(dialog, new Event('cancel'));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    await view.user.click(within(saveBar().status).getByRole('button', { name: 'See what they changed' }));
    expect(await screen.findByRole('alertdialog', { name: CONFLICT_TITLE })).toBeInTheDocument();
  });

  it('lists what they changed, keeps my draft, and "Apply my changes on top" saves both', async () => {
    const { view, dialog } = await editThenConflict();
    // Who and when, not a version number that means nothing to the user (item 17).
    expect(dialog).toHaveAccessibleDescription(
      /^auditor saved the settings at .+\. Your changes were not saved and are still here\.$/,
    );
    expect(within(dialog).getByRole('listitem')).toHaveTextContent('Requests per minute: 600 → 1200');
    expect(screen.getByRole('switch', { name: 'Rate limiting' })).toBeChecked();
    expect(field('Requests per minute')).toHaveValue(600);

    await view.user.click(within(dialog).getByRole('button', { name: 'Apply my changes on top' }));
    expect(screen.queryByText(CONFLICT_TITLE)).not.toBeInTheDocument();
    expect(screen.getByRole('switch', { name: 'Rate limiting' })).toBeChecked();
    expect(field('Requests per minute')).toHaveValue(1200);
    expect(saveBar().status).toHaveTextContent('Unsaved changes (1) on Authentication.');

    await view.user.click(saveBar().save);
    await expectSaved();
    const saved = await savedSettings(view);
    expect(saved.version).toBe(3);
    expect(saved.updatedBy).toBe('admin');
    expect(saved.authentication.rateLimit).toEqual({ enabled: true, requestsPerMinute: 1200, burst: 100 });
  });

  it('says the save failed, and keeps my draft, when the latest settings cannot be read either', async () => {
    const view = await openSettings();
    await view.user.click(screen.getByRole('switch', { name: 'Rate limiting' }));
    await saveSettingsBehindTheScenes(
      view,
      (s) => void (s.authentication.rateLimit.requestsPerMinute = 1200),
    );
    testServer.use(http.get(SETTINGS_URL, () => problemResponse(500, 'The database is down.')));
    await view.user.click(saveBar().save);

    expect(await screen.findByText(/^The settings were not saved: .*Your changes are kept\.$/)).toBeVisible();
    expect(screen.getByRole('switch', { name: 'Rate limiting' })).toBeChecked();
    expect(saveBar().save).toBeEnabled();
  });

  it('"Discard my changes and reload" shows their value and drops mine', async () => {
    const { view, dialog } = await editThenConflict();
    await view.user.click(within(dialog).getByRole('button', { name: 'Discard my changes and reload' }));

    expect(screen.queryByText(CONFLICT_TITLE)).not.toBeInTheDocument();
    expect(field('Requests per minute')).toHaveValue(1200);
    expect(screen.getByRole('switch', { name: 'Rate limiting' })).not.toBeChecked();
    expect(saveBar().save).toBeDisabled();
    expect(saveBar().status).toHaveTextContent('No unsaved changes.');
    expect((await savedSettings(view)).version).toBe(2);
  });
});

describe('invalid values (422)', () => {
  it('refuses 0 requests per minute next to the field and cannot be saved', async () => {
    const view = await openSettings();
    await turnOnRateLimiting(view);
    await typeNumber(view, 'Requests per minute', '0');

    const rpm = field('Requests per minute');
    expect(rpm).toHaveAttribute('aria-invalid', 'true');
    expect(rpm).toHaveAccessibleDescription(
      'Sustained rate per token. Requests per minute must be at least 1.',
    );
    expect(saveBar().save).toBeDisabled();
    expect(saveBar().status).toHaveTextContent('Fix the value marked in red to save.');

    await typeNumber(view, 'Requests per minute', '30');
    expect(field('Requests per minute')).toHaveAccessibleDescription('Sustained rate per token.');
    expect(saveBar().save).toBeEnabled();
  });

  it("shows the server's field error by the Burst field, and nothing is saved", async () => {
    const puts = recordSettingsPuts();
    testServer.use(
      http.put(SETTINGS_URL, () =>
        problemResponse(422, 'Some values are not valid.', { 'authentication.rateLimit.burst': 'Too big.' }),
      ),
    );
    const view = await openSettings();
    await turnOnRateLimiting(view);
    await typeNumber(view, 'Burst', '5000');
    await view.user.click(saveBar().save);

    await waitFor(() =>
      expect(field('Burst')).toHaveAccessibleDescription('Requests a token may send at once. Too big.'),
    );
    expect(field('Burst')).toHaveAttribute('aria-invalid', 'true');
    expect(field('Burst')).toHaveValue(5000);
    expect(saveBar().save).toBeDisabled();
    expect(puts).toHaveLength(1);
    expect((await savedSettings(view)).version).toBe(1);
    expect((await savedSettings(view)).authentication.rateLimit.burst).toBe(100);

    // Editing the field again clears the server's message.
    await typeNumber(view, 'Burst', '500');
    expect(field('Burst')).toHaveAccessibleDescription('Requests a token may send at once.');
    expect(saveBar().save).toBeEnabled();
  });
});

describe('the session expires while saving (401)', () => {
  it('keeps the draft and, after signing in again, says to press Save again; Save then saves it', async () => {
    testServer.use(
      http.put(SETTINGS_URL, () => problemResponse(401, 'Your session has expired.'), { once: true }),
    );
    const view = await openSettings();
    await view.user.click(screen.getByRole('switch', { name: 'Rate limiting' }));
    await view.user.click(saveBar().save);

    const expired = await screen.findByRole('alertdialog', { name: 'Session expired' });
    await view.user.click(within(expired).getByRole('button', { name: 'Sign in again' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());

    expect(saveBar().status).toHaveTextContent(
      'Not saved: your session had expired. Your changes are kept: press Save again.',
    );
    expect(screen.getByRole('switch', { name: 'Rate limiting' })).toBeChecked();
    expect((await savedSettings(view)).authentication.rateLimit.enabled).toBe(false);

    await view.user.click(saveBar().save);
    await expectSaved();
    expect((await savedSettings(view)).authentication.rateLimit.enabled).toBe(true);
  });
});
