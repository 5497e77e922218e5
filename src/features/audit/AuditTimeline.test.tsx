import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from '@/test/render';

describe('the audit timeline', () => {
  it('has a text alternative: a table of the buckets whose totals add up to the records drawn', async () => {
    const { user } = renderApp('/audit?range=7d&tz=utc', { as: 'auditor' });
    const heading = await screen.findByRole('heading', {
      name: /^Timeline — [\d,]+ records, per hour \(UTC\)$/,
    });
    const drawn = Number(heading.textContent.match(/— ([\d,]+) records/)![1]!.replace(/,/g, ''));
    expect(drawn).toBeGreaterThan(0);
    expect(screen.getByRole('img', { name: new RegExp(`^Timeline of ${drawn} records`) })).toHaveAttribute(
      'tabindex',
      '0',
    );

    await user.click(screen.getByText('Show the timeline as a table'));
    const table = screen.getByRole('table', { name: 'Audit records per hour' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual([
      'Start (UTC)',
      'Successful authentication',
      'Failed attempts',
      'Permission denied',
      'Token and settings changes',
      'Total',
    ]);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.length).toBeGreaterThanOrEqual(7 * 24);
    const totals = rows.map((row) => Number(within(row).getAllByRole('cell').at(-1)!.textContent));
    expect(totals.reduce((a, b) => a + b, 0)).toBe(drawn);
    expect(within(rows[0]!).getByRole('rowheader').textContent).toMatch(/UTC$/);
  });

  it('says so when the range holds no record, instead of drawing an empty chart', async () => {
    renderApp('/audit?range=custom&from=2020-01-01&to=2020-01-02&tz=utc', { as: 'auditor' });
    expect(await screen.findByText('No records in this range: nothing to draw.')).toBeInTheDocument();
    expect(screen.queryByRole('img', { name: /^Timeline of/ })).not.toBeInTheDocument();
  });

  it('tells the counts of the bar focused with the keyboard', async () => {
    const { user } = renderApp('/audit?range=24h&tz=utc', { as: 'auditor' });
    const chart = await screen.findByRole('img', { name: /^Timeline of \d+ records/ });
    chart.focus();
    await user.keyboard('{End}');
    expect(await screen.findByText(/UTC: \d+ records?/)).toBeInTheDocument();
  });
});
