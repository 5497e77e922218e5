/**
 * What the tests of the Settings page (SettingsPage.*.test.tsx) share: its labels as the user reads
 * them, opening it, finding its tabs, switches and fields, and what it saved.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { expect, onTestFinished } from 'vitest';
import { BASE_PATH } from '@contract/api';
import { renderApp, saveSettingsBehindTheScenes } from '@/test/render';
import { testServer } from '@/test/server';

export const BASIC_GATE = 'Disable basic authentication with regular passwords';
export const BEARER_GATE = 'Disable bearer authentication with other authenticators';
export const OPTIONS = {
  successful: 'Successful Authentication',
  failedBasic: 'Audit-log failed API token basic authentication attempts',
  failedBearer: 'Audit-log failed API token bearer authentication attempts',
  failedVerification: 'Audit-log failed API token verification',
  permissionDenied: 'Permission Denied',
} as const;
export const SETTINGS_URL = `*${BASE_PATH}/settings`;
export const CONFLICT_TITLE = 'Someone else saved the settings while you were editing';

type View = ReturnType<typeof renderApp>;

/** Renders the console at `route` and waits until the settings form is on screen. */
export async function openSettings(route = '/settings/authentication', as?: string) {
  const view = renderApp(route, { as });
  await screen.findByRole('tabpanel');
  return view;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A tab by its label, whether or not it is marked "(unsaved changes)". */
export function tab(label: string) {
  return screen.getByRole('tab', { name: new RegExp(`^${escape(label)}`) });
}

export async function openTab(view: View, label: string) {
  await view.user.click(tab(label));
  await waitFor(() => expect(tab(label)).toHaveAttribute('aria-selected', 'true'));
}

/** The accessible name of an option marked "Unavailable". */
export const unavailable = (label: string) => new RegExp(`^${escape(label)}\\s*Unavailable$`);

/** A switch by its label, whether or not it is marked "Unavailable". */
export function switchNamed(label: string) {
  return screen.getByRole('switch', { name: new RegExp(`^${escape(label)}(\\s*Unavailable)?$`) });
}

/** Whether a tab's name carries the "(unsaved changes)" mark. */
export function expectTabMarked(label: string, marked: boolean) {
  expect(tab(label)).toHaveAccessibleName(
    marked ? new RegExp(`^${escape(label)}\\s*\\(unsaved changes\\)$`) : label,
  );
}

/** The block of one switch: its label, description, reason and warnings. */
export function switchBlock(label: string) {
  return switchNamed(label).parentElement!;
}

export function field(label: string) {
  return screen.getByRole('spinbutton', { name: label });
}

/** The sticky bar at the bottom of the form: its status line and buttons. */
export function saveBar() {
  const save = screen.getByRole('button', { name: /^(Save|Saving…)$/ });
  const bar = save.closest('div')!.parentElement!;
  return {
    save,
    revert: within(bar).getByRole('button', { name: 'Revert' }),
    status: bar.firstElementChild as HTMLElement,
  };
}

export async function typeNumber(view: View, label: string, value: string) {
  await view.user.clear(field(label));
  await view.user.type(field(label), value);
}

/** Its limits can be edited only while rate limiting is on. */
export async function turnOnRateLimiting(view: View) {
  const rateLimiting = screen.getByRole('switch', { name: 'Rate limiting' });
  if (rateLimiting.getAttribute('aria-checked') !== 'true') await view.user.click(rateLimiting);
}

/** Every PUT /settings the console sends from now on. */
export function recordSettingsPuts() {
  const puts: Request[] = [];
  const listener = ({ request }: { request: Request }) => {
    if (request.method === 'PUT' && new URL(request.url).pathname === `${BASE_PATH}/settings`) {
      puts.push(request);
    }
  };
  testServer.events.on('request:start', listener);
  onTestFinished(() => void testServer.events.removeListener('request:start', listener));
  return puts;
}

export const savedSettings = (view: View) => view.host.store().getSettings();

/** The save bar says the save went through (where the user pressed Save, not in a notification over it). */
export async function expectSaved(turnedOff = '') {
  await waitFor(() => expect(saveBar().status).toHaveTextContent(`Settings saved.${turnedOff}`));
}

/** Saved before the page's first request: passwords disabled, failed basic attempts audit-logged. */
export const saveGateClosedWithFailedBasicOn = (view: ReturnType<typeof renderApp>) =>
  saveSettingsBehindTheScenes(
    view,
    (s) => {
      s.authentication.disableBasicAuthWithPasswords = true;
      s.auditLogging.failedBasicAttempts = true;
    },
    'admin',
  );
