import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { BASE_PATH } from '@contract/api';
import { renderApp } from '@/test/render';
import { PAGES } from './navigation';
import { testServer } from '@/test/server';

function mainNavLinks() {
  const nav = screen.getByRole('navigation', { name: 'Main' });
  return within(nav)
    .getAllByRole('link')
    .map((link) => link.textContent);
}

describe('the app shell', () => {
  it('shows the product, the signed-in user and role, and every page to an administrator', async () => {
    renderApp('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Overview' })).toBeInTheDocument();
    expect(screen.getByText('API Token Console')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Account: .*, Administrator/ })).toBeInTheDocument();
    expect(mainNavLinks()).toEqual(['Overview', 'Settings', 'API Tokens', 'Audit Log', 'Logging']);
  });

  it('shows a regular user only "API Tokens" and lands there', async () => {
    renderApp('/', { as: 'jdoe' });
    expect(await screen.findByRole('heading', { level: 1, name: 'API Tokens' })).toBeInTheDocument();
    expect(mainNavLinks()).toEqual(['API Tokens']);
  });

  it('tells a regular user who opens an admin page that they lack permission, with a way home', async () => {
    const view = renderApp('/settings', { as: 'jdoe' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Permission denied' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent("You don't have permission to view this page.");
    await view.user.click(screen.getByRole('link', { name: 'Go to the start page' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'API Tokens' })).toBeInTheDocument();
  });

  it('names the user once, with username and role, in the header', async () => {
    renderApp('/');
    const account = await screen.findByRole('button', { name: /^Account:/ });
    expect(account).toHaveTextContent(/^Alice Adminadmin · Administrator/);
  });

  it('gives "Permission denied" a heading of its own and a way to the start page, as the 404 page', async () => {
    const { user, router } = renderApp('/settings', { as: 'jdoe' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Permission denied' })).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Go to the start page' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'API Tokens' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/tokens/mine');
  });

  it('names an account whose name is its role ("Administrator") by its username under it, not twice', async () => {
    // The demo's administrator, renamed as the real server's first administrator is named.
    let view: ReturnType<typeof renderApp> | undefined = undefined;
    testServer.use(
      http.get(`*${BASE_PATH}/myself`, async ({ request }) => {
        const myself = (await (await view!.host.handle(request)).json()) as object;
        return HttpResponse.json({ ...myself, displayName: 'Administrator' });
      }),
    );
    view = renderApp('/');
    const account = await screen.findByRole('button', { name: 'Account: Administrator, Administrator' });
    expect(account).toHaveTextContent(/^Administratoradmin/);
  });

  it('switches the theme in the account menu and remembers it; System follows the system again', async () => {
    const { user } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: /^Account:/ }));
    // (The menu's code loads on the first press: the first import takes a while under Vitest.)
    const menu = await screen.findByRole('menu', { name: 'Account' }, { timeout: 5000 });
    expect(within(menu).getByRole('menuitemradio', { name: 'System' })).toBeChecked();
    await user.click(within(menu).getByRole('menuitemradio', { name: 'Dark' }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem('api-token-console.theme')).toBe('dark');

    await user.click(screen.getByRole('button', { name: /^Account:/ }));
    const again = await screen.findByRole('menu', { name: 'Account' });
    expect(within(again).getByRole('menuitemradio', { name: 'Dark' })).toBeChecked();
    await user.click(within(again).getByRole('menuitemradio', { name: 'System' }));
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(localStorage.getItem('api-token-console.theme')).toBe('system');
  });

  it('shows an auditor every page', async () => {
    renderApp('/', { as: 'auditor' });
    await screen.findByRole('heading', { level: 1, name: 'Overview' });
    expect(mainNavLinks()).toEqual(['Overview', 'Settings', 'API Tokens', 'Audit Log', 'Logging']);
  });

  it('shows a 404 page for an unknown address', async () => {
    renderApp('/no-such-page');
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
  });

  it('asks to sign in again when the session has expired, and signing in restores the console', async () => {
    const { user } = renderApp('/settings', { as: null });
    expect(await screen.findByRole('alert')).toHaveTextContent('Your session has expired');
    await user.click(screen.getByRole('button', { name: 'Sign in again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
  });

  it('says the server cannot be reached on a network failure, and retries', async () => {
    testServer.use(http.get(`*${BASE_PATH}/myself`, () => HttpResponse.error(), { once: true }));
    const { user } = renderApp('/settings');
    expect(await screen.findByRole('alert')).toHaveTextContent("Can't reach the server");
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
  });

  it('a page not yet opened says the server is unreachable, offers Reload, and the navigation stays', async () => {
    const audit = PAGES.find((page) => page.label === 'Audit Log')!;
    vi.spyOn(audit, 'load').mockRejectedValue(
      new TypeError(
        'Failed to fetch dynamically imported module: http://localhost/assets/AuditLogPage-Bx1.js',
      ),
    );
    renderApp('/audit', { as: 'auditor' });

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("Can't reach the server");
    expect(within(alert).getByRole('button', { name: 'Reload' })).toBeInTheDocument();
    expect(mainNavLinks()).toEqual(['Overview', 'Settings', 'API Tokens', 'Audit Log', 'Logging']);
  });
});
