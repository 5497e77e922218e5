import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '@contract/audit';
import { AUDIT_OPTIONS } from '@contract/audit-options';
import { AUDIT_LOGGING_FIELDS, FAILED_EVENTS } from '@contract/overview';
import { renderApp } from '@/test/render';

// The Overview's figures against the demo data set, counted here from the raw data (tokens and audit
// records as the seed made them), not with the backend's queries.

const DAY = 86_400_000;

/** The big number of the card titled `title`. */
function figure(title: string): number {
  const label = screen.getByText(title, { selector: 'span' });
  return Number(label.nextElementSibling!.textContent);
}

function countBy(records: AuditRecord[], key: (r: AuditRecord) => string | null | undefined) {
  const counts = new Map<string, number>();
  for (const r of records) {
    const value = key(r);
    if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return counts;
}

async function openOverview() {
  const view = renderApp('/overview', { as: 'admin' });
  await screen.findByRole('heading', { level: 2, name: 'API tokens' });
  const now = Date.now();
  const { tokens, auditRecords } = view.host.data();
  const settings = await view.host.store().getSettings();
  return { view, now, tokens, auditRecords, settings };
}

describe('the Overview', () => {
  it('counts the tokens by status, never used and unused for 90 days', async () => {
    const { now, tokens, settings } = await openOverview();
    const warning = settings.authentication.tokenPolicy.expiryWarningDays * DAY;
    const left = (t: (typeof tokens)[number]) =>
      t.expiresAt === null ? Infinity : Date.parse(t.expiresAt) - now;

    expect(figure('Active')).toBe(tokens.filter((t) => left(t) > warning).length);
    expect(figure('Expiring soon')).toBe(tokens.filter((t) => left(t) > 0 && left(t) <= warning).length);
    expect(figure('Expired')).toBe(tokens.filter((t) => left(t) <= 0).length);
    expect(figure('Never used')).toBe(tokens.filter((t) => t.lastUsedAt === null).length);
    // Not expired: an expired token is counted as expired, and the list the card opens has no expired ones.
    expect(figure('Unused for 90 days')).toBe(
      tokens.filter((t) => t.lastUsedAt !== null && Date.parse(t.lastUsedAt) <= now - 90 * DAY && left(t) > 0)
        .length,
    );
    expect(figure('Active') + figure('Expiring soon') + figure('Expired')).toBe(tokens.length);
  });

  it('counts failed attempts and permission denials of the last 24 hours, with the busiest sources', async () => {
    const { now, auditRecords } = await openOverview();
    const within24h = (r: AuditRecord, hoursAgo = 0) => {
      const t = Date.parse(r.timestamp);
      return t >= now - (hoursAgo + 24) * 3_600_000 && t < now - hoursAgo * 3_600_000;
    };
    const isFailed = (r: AuditRecord) => (FAILED_EVENTS as readonly string[]).includes(r.summary);
    const failed = auditRecords.filter((r) => isFailed(r) && within24h(r));
    const before = auditRecords.filter((r) => isFailed(r) && within24h(r, 24));
    expect(failed.length).toBeGreaterThan(0);

    expect(figure('Failed authentication attempts')).toBe(failed.length);
    const change = failed.length - before.length;
    expect(
      screen.getByText('Failed authentication attempts', { selector: 'span' }).parentElement,
    ).toHaveTextContent(
      change === 0
        ? 'the same as the 24 hours before'
        : `${Math.abs(change)} ${change > 0 ? 'more' : 'fewer'} than the 24 hours before (${before.length})`,
    );
    expect(figure('Permission denied')).toBe(
      auditRecords.filter((r) => r.summary === 'Permission denied' && within24h(r)).length,
    );

    const byIp = countBy(failed, (r) => r.source.clientIp);
    const byUser = countBy(failed, (r) => r.details.username ?? r.author.username);
    for (const [title, counts] of [
      ['Top source IPs of failed attempts', byIp],
      ['Top users by failed attempts', byUser],
    ] as const) {
      const list = within(screen.getByRole('heading', { name: title }).parentElement!).getAllByRole(
        'listitem',
      );
      expect(list.length).toBe(Math.min(5, counts.size));
      const shown = list.map((item) => ({
        value: within(item).getByRole('link').textContent,
        count: Number(item.lastElementChild!.textContent),
      }));
      for (const { value, count } of shown) expect(count, `${title}: ${value}`).toBe(counts.get(value));
      expect(shown[0]!.count).toBe(Math.max(...counts.values()));
      expect(shown.map((s) => s.count)).toEqual([...shown.map((s) => s.count)].sort((a, b) => b - a));
    }
  });

  it('draws the failed attempts of the last 7 days, adding up to the records of those days', async () => {
    const { now, auditRecords } = await openOverview();
    const week = within(screen.getByText('Failed attempts, last 7 days').closest('figure')!).getAllByRole(
      'listitem',
    );
    expect(week).toHaveLength(7);
    const drawn = week.reduce((sum, day) => sum + Number(day.firstElementChild!.textContent), 0);
    // The first bar starts at midnight six days ago in the browser's zone.
    const start = new Date(now - 6 * DAY);
    start.setHours(0, 0, 0, 0);
    expect(drawn).toBe(
      auditRecords.filter(
        (r) =>
          (FAILED_EVENTS as readonly string[]).includes(r.summary) &&
          Date.parse(r.timestamp) >= start.getTime() &&
          Date.parse(r.timestamp) <= now,
      ).length,
    );
  });

  it('"Top users" opens exactly the records it counts (the username the attempts name)', async () => {
    const { view } = await openOverview();
    const top = within(
      screen.getByRole('heading', { name: 'Top users by failed attempts' }).parentElement!,
    ).getAllByRole('listitem')[0]!;
    const count = Number(top.lastElementChild!.textContent);
    const link = within(top).getByRole('link');
    expect(link).toHaveAttribute('href', expect.stringContaining(`username=${link.textContent}`));
    await view.user.click(link);
    expect(await screen.findByText(`${count} records loaded.`)).toBeInTheDocument();
    expect(screen.getByRole('searchbox', { name: 'Username' })).toHaveValue(link.textContent);
  });

  it('"Unused for 90 days" opens a list of exactly that many tokens, expired ones left out, its filter in sight', async () => {
    const { view } = await openOverview();
    const count = figure('Unused for 90 days');
    expect(count).toBeGreaterThan(0);
    const card = screen.getByText('Unused for 90 days', { selector: 'span' }).closest('a')!;
    expect(new URL(card.href).searchParams.getAll('status')).toEqual(['active', 'expiring']);
    await view.user.click(card);
    expect(
      await screen.findByText(new RegExp(`^Showing 1(–${count})? of ${count} tokens?$`)),
    ).toBeInTheDocument();
    // The last-used limit is shown, not folded away under "Date ranges".
    const lastUsedTo = screen.getByLabelText('Last used to');
    expect(lastUsedTo).toBeVisible();
    expect(lastUsedTo).not.toHaveValue('');
    expect(screen.getByText('Date ranges (1)')).toBeInTheDocument();
    for (const name of ['Active', 'Expiring soon'])
      expect(screen.getByRole('checkbox', { name })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Expired' })).not.toBeChecked();
  });

  it('says when what is audit-logged last changed, with a link to the record of that change', async () => {
    const { auditRecords } = await openOverview();
    const change = auditRecords
      .filter((r) => r.summary === 'Settings changed')
      .filter((r) => r.changedValues.some((v) => AUDIT_LOGGING_FIELDS.includes(v.field)))
      .sort((a, b) => b.timestamp.localeCompare(a.timestamp))[0]!;
    const section = screen.getByRole('heading', { name: 'What is audit-logged' }).parentElement!;
    const link = within(section).getByRole('link', { name: new RegExp(`by ${change.author.username}$`) });
    expect(link).toHaveAttribute('href', `/audit?record=${change.id}`);
    // Beside the failure counts, too: the counts depend on it.
    const attempts = screen.getByRole('heading', { name: 'Authentication, last 24 hours' }).parentElement!;
    expect(within(attempts).getByRole('link', { name: link.textContent })).toHaveAttribute(
      'href',
      `/audit?record=${change.id}`,
    );
  });

  it('says which audit options are on, as saved', async () => {
    const { settings } = await openOverview();
    const options = within(screen.getByRole('list', { name: 'Audit options' })).getAllByRole('listitem');
    expect(options.map((o) => o.textContent)).toEqual(
      AUDIT_OPTIONS.map((o) => `${settings.auditLogging[o.key] ? 'On' : 'Off'} — ${o.label}`),
    );
  });
});
