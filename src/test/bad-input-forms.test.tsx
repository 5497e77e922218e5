import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { BASE_PATH } from '@contract/api';
import { TokenListQuerySchema } from '@contract/tokens';
import { renderApp } from '@/test/render';
import { testServer } from '@/test/server';

// ---------------------------------------------------------------------------------------------------
// Hostile and malformed input typed into the console's forms, as an administrator: the create-token
// dialog, the edit-description dialog, the Authentication settings tab and "Configure logging level for
// another package". A bad value gets a message next to its field and nothing is sent or stored; a valid
// but odd value (markup in a description) is stored verbatim and shown as text, never as markup.
// ---------------------------------------------------------------------------------------------------

type View = ReturnType<typeof renderApp>;

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const LONG_100K = 'x'.repeat(100_000);
const NAME_ERROR = /^Enter a Java package or class name/;

let caseCount = 0;
beforeEach(() => void caseCount++);
afterAll(() => console.info(`bad input (forms): ${caseCount} cases`));

/** Every request the console sends from now on, but reads. */
function recordWrites() {
  const writes: string[] = [];
  const listener = ({ request }: { request: Request }) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      writes.push(`${request.method} ${new URL(request.url).pathname.replace(BASE_PATH, '')}`);
    }
  };
  testServer.events.on('request:start', listener);
  onTestFinished(() => void testServer.events.removeListener('request:start', listener));
  return writes;
}

/** Nothing that was typed became markup. */
function expectNoInjectedMarkup() {
  expect(document.querySelector('img[src="x"]')).toBeNull();
  expect(document.querySelector('[onerror]')).toBeNull();
  expect([...document.querySelectorAll('script')].filter((s) => s.textContent?.includes('alert'))).toEqual(
    [],
  );
}

/** Puts `text` into a field as a paste (user-event reads "{" and "[" in typed text as keys). */
async function paste(view: View, field: HTMLElement, text: string) {
  await view.user.clear(field);
  await view.user.click(field);
  if (text !== '') await view.user.paste(text);
}

// ---------------------------------------------------------------------------------------------------
// Create token
// ---------------------------------------------------------------------------------------------------

async function openCreateDialog() {
  const view = renderApp('/tokens/mine', { as: 'admin' });
  await screen.findByRole('table', { name: 'API tokens' });
  await view.user.click(screen.getByRole('button', { name: 'Create token' }));
  const dialog = await screen.findByRole('dialog', { name: 'Create token' });
  const description = await within(dialog).findByRole('textbox', { name: 'Description' });
  return { view, dialog, description };
}

/** The backend's tokens (every owner's) that match `q`, newest first. */
const storedTokens = (view: View, q?: string) =>
  view.host.store().listTokens({
    ...TokenListQuerySchema.parse({ pageSize: 200, ...(q !== undefined && { q }) }),
    now: new Date(),
    expiryWarningDays: 14,
  });
const tokenCount = async (view: View) => (await storedTokens(view)).total;

const DESCRIPTION_CASES: { name: string; value: string; message: string }[] = [
  { name: 'empty', value: '', message: 'Enter a description.' },
  { name: 'of spaces only', value: '    ', message: 'Enter a description.' },
  { name: 'of 256 characters', value: 'd'.repeat(256), message: 'At most 255 characters.' },
  {
    name: 'of 100,000 characters (the field keeps 300)',
    value: LONG_100K,
    message: 'At most 255 characters.',
  },
  {
    name: 'with a line separator U+2028',
    value: 'Deploy\u2028bot',
    message: 'Remove line breaks and control characters.',
  },
  {
    name: 'with NUL',
    value: 'Deploy\u0000bot',
    message: 'Remove line breaks and control characters.',
  },
  { name: 'with a tab', value: 'Deploy\tbot', message: 'Remove line breaks and control characters.' },
  {
    name: 'with an ANSI escape',
    value: '\u001b[31mDeploy',
    message: 'Remove line breaks and control characters.',
  },
];

const IP_CASES: { name: string; value: string; message: string | RegExp }[] = [
  { name: 'CIDR 10.0.0.0/33', value: '10.0.0.0/33', message: /^"10\.0\.0\.0\/33" is not a valid CIDR range/ },
  { name: 'CIDR ::1/129', value: '::1/129', message: /^"::1\/129" is not a valid CIDR range/ },
  {
    name: 'CIDR 10.0.0.5/8',
    value: '10.0.0.5/8',
    message: 'Not the start of a range: did you mean 10.0.0.0/8?',
  },
  // "</script>" holds a slash: it is read as a range.
  {
    name: 'a script',
    value: SCRIPT,
    message: `"${SCRIPT}" is not a valid CIDR range (e.g. 10.20.0.0/16 or 2001:db8::/32).`,
  },
  // Spaces separate entries (a pasted list): the first one, "<img", is named.
  {
    name: 'an image tag',
    value: IMG,
    message: `"<img" is not a valid IP address (e.g. 203.0.113.7 or 2001:db8::1).`,
  },
  { name: 'an address of 300 characters', value: '1'.repeat(300), message: /is not a valid IP address/ },
];

describe('create-token dialog', () => {
  it.each(DESCRIPTION_CASES)(
    'refuses a description $name next to the field, and sends nothing',
    async ({ value, message }) => {
      const writes = recordWrites();
      const { view, dialog, description } = await openCreateDialog();
      const before = await tokenCount(view);

      await paste(view, description, value);
      await view.user.click(within(dialog).getByRole('button', { name: 'Create token' }));

      expect(within(dialog).getByText(message)).toBeInTheDocument();
      expect(description).toHaveAttribute('aria-invalid', 'true');
      expect(description).toHaveAccessibleDescription(expect.stringContaining(message));
      expect((description as HTMLInputElement).value.length).toBeLessThanOrEqual(300);
      expect(writes).toEqual([]);
      expect(await tokenCount(view)).toBe(before);
      expect(screen.getByRole('dialog', { name: 'Create token' })).toBeInTheDocument();
    },
  );

  it.each(IP_CASES)(
    'says why the IP entry $name is invalid and does not add it',
    async ({ value, message }) => {
      const writes = recordWrites();
      const { view, dialog } = await openCreateDialog();
      const ip = within(dialog).getByRole('textbox', { name: 'IP restrictions' });

      await paste(view, ip, value);
      expect(within(dialog).getByText(message)).toBeInTheDocument();
      expect(ip).toHaveAttribute('aria-invalid', 'true');
      expect(ip).toHaveAccessibleDescription(
        expect.stringMatching(/is not a valid|Not the start of a range/),
      );
      expect(within(dialog).getByRole('button', { name: 'Add' })).toBeDisabled();
      await view.user.type(ip, '{Enter}');
      expect(within(dialog).queryByRole('list', { name: 'IP restrictions' })).not.toBeInTheDocument();
      expect(writes).toEqual([]);
      expectNoInjectedMarkup();
    },
  );

  it('refuses an address listed twice', async () => {
    const { view, dialog } = await openCreateDialog();
    const ip = within(dialog).getByRole('textbox', { name: 'IP restrictions' });
    await view.user.type(ip, '1.2.3.4{Enter}');
    await view.user.type(ip, '1.2.3.4');
    expect(within(dialog).getByText('1.2.3.4 is already in the list.')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Add' })).toBeDisabled();
    await view.user.type(ip, '{Enter}');
    const list = within(dialog).getByRole('list', { name: 'IP restrictions' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
  });

  it('does not create the token while an invalid IP entry is still typed in', async () => {
    const writes = recordWrites();
    const { view, dialog, description } = await openCreateDialog();
    const before = await tokenCount(view);
    await paste(view, description, 'Deploy bot');
    await paste(view, within(dialog).getByRole('textbox', { name: 'IP restrictions' }), '10.0.0.0/33');
    await view.user.click(within(dialog).getByRole('button', { name: 'Create token' }));

    // Give a request the time to go out.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(writes).toEqual([]);
    expect(await tokenCount(view)).toBe(before);
    expect(screen.queryByRole('dialog', { name: 'Token created' })).not.toBeInTheDocument();
  });

  it.each([
    { name: 'a script', value: SCRIPT },
    { name: 'an image tag', value: IMG },
    { name: 'markup with entities and quotes', value: `&lt;b&gt; "O'Brien" <b>bold</b> &amp;` },
  ])('creates a token whose description is $name and shows it as literal text', async ({ value }) => {
    const writes = recordWrites();
    const { view, dialog, description } = await openCreateDialog();
    await paste(view, description, value);
    await view.user.click(within(dialog).getByRole('button', { name: 'Create token' }));

    const created = await screen.findByRole('dialog', { name: 'Token created' });
    expect(writes).toEqual(['POST /tokens']);
    const summary = within(created).getByText('Description').nextElementSibling!;
    expect(summary.textContent).toBe(value);
    expect(summary.children).toHaveLength(0);
    expectNoInjectedMarkup();

    const stored = (await storedTokens(view, value)).items[0];
    expect(stored?.description).toBe(value);

    await view.user.click(within(created).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const table = screen.getByRole('table', { name: 'API tokens' });
    const cell = await within(table).findByText(value);
    // The description is the cell's own text; its only element is the token id under it.
    expect(cell.firstChild?.nodeType).toBe(Node.TEXT_NODE);
    expect(cell.firstChild?.textContent).toBe(value);
    expect(cell.querySelector('img, script, b')).toBeNull();
    expect(within(table).getByRole('button', { name: `Actions for ${value}` })).toBeInTheDocument();
    expectNoInjectedMarkup();
  });
});

// ---------------------------------------------------------------------------------------------------
// Edit description
// ---------------------------------------------------------------------------------------------------

describe('edit-token dialog', () => {
  it.each(DESCRIPTION_CASES.filter((c) => c.value.length < 1000))(
    'refuses a description $name next to the field, and sends nothing',
    async ({ value, message }) => {
      const writes = recordWrites();
      const view = renderApp('/tokens/mine', { as: 'admin' });
      const table = await screen.findByRole('table', { name: 'API tokens' });
      const [actions] = within(table).getAllByRole('button', { name: /^Actions for / });
      const id = /tok_[a-z0-9]+/.exec(actions!.closest('tr')?.textContent ?? '')?.[0] ?? '';
      expect(await view.host.store().getToken(id)).toBeDefined();
      await view.user.click(actions!);
      await view.user.click(await screen.findByRole('menuitem', { name: 'Edit…' }));
      const dialog = await screen.findByRole('dialog', { name: 'Edit token' });
      const field = within(dialog).getByRole('textbox', { name: 'Description' });
      const original = (field as HTMLInputElement).value;

      await paste(view, field, value);
      await view.user.click(within(dialog).getByRole('button', { name: 'Save' }));

      expect(within(dialog).getByText(message)).toBeInTheDocument();
      expect(field).toHaveAttribute('aria-invalid', 'true');
      expect(field).toHaveAccessibleDescription(message);
      expect(writes).toEqual([]);
      expect((await view.host.store().getToken(id))?.description).toBe(original);
    },
  );
});

// ---------------------------------------------------------------------------------------------------
// Settings: the Authentication tab
// ---------------------------------------------------------------------------------------------------

async function openAuthentication() {
  const view = renderApp('/settings/authentication', { as: 'admin' });
  await screen.findByRole('tabpanel');
  return view;
}

const spin = (label: string) => screen.getByRole('spinbutton', { name: label });
const saveButton = () => screen.getByRole('button', { name: /^(Save|Saving…)$/ });

const NUMBER_CASES: { label: string; value: string; message: string; days?: boolean }[] = [
  { label: 'Requests per minute', value: '-1', message: 'Requests per minute must be at least 1.' },
  { label: 'Requests per minute', value: '0', message: 'Requests per minute must be at least 1.' },
  { label: 'Requests per minute', value: '1e12', message: 'Requests per minute must be at most 100000.' },
  {
    label: 'Requests per minute',
    value: '99999999999999999999',
    message: 'Requests per minute must be at most 100000.',
  },
  { label: 'Requests per minute', value: '2.5', message: 'Requests per minute must be a whole number.' },
  { label: 'Requests per minute', value: '', message: 'Requests per minute must be a number.' },
  { label: 'Burst', value: '1.5', message: 'Burst must be a whole number.' },
  { label: 'Burst', value: '-1', message: 'Burst must be at least 0.' },
  { label: 'Burst', value: '100001', message: 'Burst must be at most 100000.' },
  {
    label: 'Expiry warning (days before expiry)',
    value: '0',
    message: 'Expiry warning must be at least 1.',
  },
  {
    label: 'Expiry warning (days before expiry)',
    value: '366',
    message: 'Expiry warning must be at most 365.',
  },
  { label: 'Days', value: '3651', message: 'Days must be at most 3650.', days: true },
  { label: 'Days', value: '-30', message: 'Days must be at least 1.', days: true },
];

async function refuseNumber({ label, value, message, days }: (typeof NUMBER_CASES)[number]) {
  const writes = recordWrites();
  const view = await openAuthentication();
  if (days) {
    await view.user.selectOptions(screen.getByRole('combobox', { name: 'Maximum validity' }), 'days');
  }
  // The rate limits can be edited only while rate limiting is on (it is off in the demo).
  if (label === 'Requests per minute' || label === 'Burst') {
    await view.user.click(screen.getByRole('switch', { name: 'Rate limiting' }));
  }
  const field = spin(label);
  await view.user.clear(field);
  if (value !== '') await view.user.type(field, value);

  expect(field).toHaveAttribute('aria-invalid', 'true');
  expect(field).toHaveAccessibleDescription(expect.stringContaining(message));
  expect(saveButton()).toBeDisabled();
  expect(screen.getByText(/^Fix the (value|\d+ values) marked in red to save\.$/)).toBeInTheDocument();
  await view.user.click(saveButton());
  expect(writes).toEqual([]);
  expect((await view.host.store().getSettings()).version).toBe(1);
}

describe('settings: Authentication tab', () => {
  it.each(NUMBER_CASES)('refuses $label = "$value" next to the field, and saves nothing', refuseNumber);

  it.each(IP_CASES)(
    'says why the global IP entry $name is invalid and does not add it',
    async ({ value, message }) => {
      const writes = recordWrites();
      const view = await openAuthentication();
      const ip = screen.getByRole('textbox', { name: 'Allowed addresses and ranges' });
      await paste(view, ip, value);

      expect(screen.getByText(message)).toBeInTheDocument();
      expect(ip).toHaveAttribute('aria-invalid', 'true');
      expect(screen.getByRole('button', { name: 'Add' })).toBeDisabled();
      await view.user.type(ip, '{Enter}');
      expect(screen.queryByRole('list', { name: 'Allowed addresses and ranges' })).not.toBeInTheDocument();
      expect(screen.getByText('No unsaved changes.')).toBeInTheDocument();
      expect(saveButton()).toBeDisabled();
      expect(writes).toEqual([]);
      expect((await view.host.store().getSettings()).authentication.ipRestrictions).toEqual([]);
      expectNoInjectedMarkup();
    },
  );

  it('refuses a global IP entry listed twice', async () => {
    const view = await openAuthentication();
    const ip = screen.getByRole('textbox', { name: 'Allowed addresses and ranges' });
    await view.user.type(ip, '1.2.3.4{Enter}');
    await view.user.type(ip, '1.2.3.4');
    expect(screen.getByText('1.2.3.4 is already in the list.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add' })).toBeDisabled();
    await view.user.type(ip, '{Enter}');
    const list = screen.getByRole('list', { name: 'Allowed addresses and ranges' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------------------------------
// Logging: "Configure logging level for another package"
// ---------------------------------------------------------------------------------------------------

const LOGGER_CASES: { name: string; value: string; message: RegExp | string }[] = [
  { name: 'a script', value: SCRIPT, message: NAME_ERROR },
  { name: 'an image tag', value: IMG, message: NAME_ERROR },
  { name: 'a name of 256 characters', value: 'a'.repeat(256), message: 'At most 255 characters.' },
  { name: 'a name of 100,000 characters', value: LONG_100K, message: 'At most 255 characters.' },
  { name: 'a non-ASCII letter', value: 'com.exämple', message: NAME_ERROR },
  { name: 'an empty part', value: 'com..example', message: NAME_ERROR },
  { name: 'a right-to-left override', value: 'com.example\u202Eevil', message: NAME_ERROR },
  { name: 'a slash', value: 'com/example', message: NAME_ERROR },
];

describe('logging: configure another package', () => {
  it.each(LOGGER_CASES)('refuses $name next to the field, and sends nothing', async ({ value, message }) => {
    const writes = recordWrites();
    const view = renderApp('/logging/levels', { as: 'admin' });
    const table = await screen.findByRole('table', { name: 'Loggers' });
    const rowsBefore = within(table).getAllByRole('rowheader').length;
    const form = screen.getByRole('heading', {
      name: 'Configure logging level for another package',
    }).parentElement!;
    const input = within(form).getByRole('textbox', { name: 'Package or class name' });

    await paste(view, input, value);
    expect(within(form).getByText(message)).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(message);
    await view.user.click(within(form).getByRole('button', { name: 'Configure' }));

    expect(within(form).getByText(message)).toBeInTheDocument();
    expect(writes).toEqual([]);
    expect(within(table).getAllByRole('rowheader')).toHaveLength(rowsBefore);
    const store = view.host.store();
    for (const { id: node } of await store.listNodes()) {
      expect((await store.listLoggers(node)).map((l) => l.name)).not.toContain(value);
    }
    expectNoInjectedMarkup();
  });
});
