import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_CATEGORY } from '@contract/audit';
import { AuditFilterSchema } from '@contract/audit-query';
import { readUrlParams, urlParams } from '@contract/url-params';
import { AuditViewSchema, customRange, listKey, viewToFilter, type AuditView } from '@/lib/audit-view';
import { boundary } from '@/lib/time';

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

/** The view through the address bar, as useUrlState reads and writes it. */
const viewFromUrl = (params: URLSearchParams) => readUrlParams(AuditViewSchema, params);
const viewToParams = (view: Partial<AuditView>) => urlParams(AuditViewSchema, view);
const fromUrl = (search: string) => viewFromUrl(new URLSearchParams(search));

/** Runs the enclosing tests with the process (the "browser") in `zone`; set before any Date call. */
function inTimeZone(zone: string) {
  let previous: string | undefined;
  beforeEach(() => {
    previous = process.env.TZ;
    process.env.TZ = zone;
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  });
}

const FULL_VIEW: AuditView = {
  range: 'custom',
  from: '2026-03-01',
  to: '2026-03-08T10:15',
  tz: 'utc',
  category: AUDIT_CATEGORY,
  event: ['Successful authentication', 'Permission denied', 'API token deleted'],
  author: 'jdoe',
  object: 'tok_ci',
  ip: '10.0.0.0/8',
  q: 'myself',
  record: 'ar-000000042',
};

// ---------------------------------------------------------------------------------------------------
// viewFromUrl / viewToParams
// ---------------------------------------------------------------------------------------------------

describe('viewFromUrl and viewToParams', () => {
  it('round-trips a full view through the address bar', () => {
    const params = viewToParams(FULL_VIEW);
    expect(params.get('range')).toBe('custom');
    expect(params.get('from')).toBe('2026-03-01');
    expect(params.get('to')).toBe('2026-03-08T10:15');
    expect(params.get('tz')).toBe('utc');
    expect(params.get('category')).toBe(AUDIT_CATEGORY);
    expect(params.getAll('event')).toEqual([
      'Successful authentication',
      'Permission denied',
      'API token deleted',
    ]);
    expect(params.get('ip')).toBe('10.0.0.0/8');
    expect(params.get('record')).toBe('ar-000000042');

    // Through the string form, as a shared link carries it.
    const restored = viewFromUrl(new URLSearchParams(params.toString()));
    expect(restored).toEqual(FULL_VIEW);
    expect(viewToParams(restored).toString()).toBe(params.toString());
  });

  it('round-trips the minute form of "from" and the day form of "to"', () => {
    const view: AuditView = { ...FULL_VIEW, from: '2026-03-01T00:05', to: '2026-03-08', tz: 'local' };
    expect(viewFromUrl(viewToParams(view))).toEqual(view);
  });

  it('leaves defaults out of the parameters (tz=local, no events, empty text)', () => {
    expect(viewToParams({ tz: 'local', event: [] }).toString()).toBe('');
    expect(viewToParams({ tz: 'local', event: [], author: '', q: undefined }).toString()).toBe('');
    expect(viewToParams(fromUrl('')).toString()).toBe('');
    expect(viewToParams({ ...FULL_VIEW, tz: 'local' }).has('tz')).toBe(false);
    expect(viewToParams({ tz: 'utc', event: [] }).toString()).toBe('tz=utc');
  });

  it('reads an empty address bar as the defaults', () => {
    const view = fromUrl('');
    expect(view).toEqual({ tz: 'local', event: [] });
    expect(view.range).toBeUndefined();
    expect(view.record).toBeUndefined();
  });

  it('falls back field by field on invalid input, keeping the valid fields, without throwing', () => {
    const search = new URLSearchParams({
      range: 'bogus',
      tz: 'mars',
      category: 'Nope',
      event: 'Nope',
      ip: '999.1.1.1',
      record: '../x',
      limit: 'junk',
      author: 'jdoe',
      q: 'pipeline',
    });
    let view: AuditView | undefined;
    expect(() => (view = viewFromUrl(search))).not.toThrow();
    expect(view).toEqual({ tz: 'local', event: [], author: 'jdoe', q: 'pipeline' });
    expect(view).not.toHaveProperty('limit');
  });

  it.each([
    ['from', '2026-02-30'],
    ['from', '2026-13-01'],
    ['from', '2026-00-10'],
    ['from', '2026-3-8'],
    ['from', 'yesterday'],
    ['from', '2026-03-08T24:00'],
    ['from', '2026-03-08T10:60'],
    ['from', '2026-03-08T10:15:30'],
    ['to', '2026-02-29'],
    ['to', '2026-03-08T10'],
  ])('drops an invalid custom %s=%s and keeps the other edge', (key, value) => {
    const other = key === 'from' ? 'to' : 'from';
    const view = fromUrl(`range=custom&${key}=${encodeURIComponent(value)}&${other}=2026-03-08`);
    expect(view.range).toBe('custom');
    expect(view[key as 'from' | 'to']).toBeUndefined();
    expect(view[other]).toBe('2026-03-08');
  });

  it('drops an over-long text field and record id; keeps an id of another form (the panel says it is not there)', () => {
    const view = fromUrl(
      `author=${'a'.repeat(256)}&q=${'q'.repeat(256)}&record=${'r'.repeat(65)}&object=${'o'.repeat(255)}`,
    );
    expect(view.author).toBeUndefined();
    expect(view.q).toBeUndefined();
    expect(view.record).toBeUndefined();
    expect(view.object).toBe('o'.repeat(255));
    expect(fromUrl('record=AR-1').record).toBe('AR-1');
  });

  it('drops the whole event list when it holds an unknown event', () => {
    expect(fromUrl('event=Nope').event).toEqual([]);
    expect(fromUrl('event=Permission+denied&event=Settings+changed').event).toEqual([
      'Permission denied',
      'Settings changed',
    ]);
  });

  it('ignores from/to unless range=custom', () => {
    const preset = fromUrl('range=7d&from=2026-03-01&to=2026-03-08');
    expect(customRange(preset)).toEqual({});
    expect(viewToFilter(preset, new Date('2026-03-10T00:00:00Z'))).toMatchObject({
      from: '2026-03-03T00:00:00.000Z',
      to: undefined,
    });
    const noRange = fromUrl('from=2026-03-01&to=2026-03-08&tz=utc');
    expect(customRange(noRange)).toEqual({});
    expect(viewToFilter(noRange, new Date('2026-03-10T00:00:00Z'))).toMatchObject({
      from: undefined,
      to: undefined,
    });
    expect(noRange.tz).toBe('utc');
    expect(customRange(fromUrl('range=custom&from=2026-03-01&to=2026-03-08'))).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-08',
    });
  });

  it('parses the result with the view schema (what the page relies on)', () => {
    expect(AuditViewSchema.safeParse(fromUrl(viewToParams(FULL_VIEW).toString())).success).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------
// boundary (src/lib/time.ts: the one rule for typed dates, here as the Audit Log's range uses it)
// ---------------------------------------------------------------------------------------------------

describe('boundary in UTC', () => {
  it.each([
    ['2026-03-08', 'start', '2026-03-08T00:00:00.000Z'],
    ['2026-03-08', 'end', '2026-03-08T23:59:59.999Z'],
    ['2026-03-08T10:15', 'start', '2026-03-08T10:15:00.000Z'],
    ['2026-03-08T10:15', 'end', '2026-03-08T10:15:59.999Z'],
    ['2026-12-31T23:59', 'end', '2026-12-31T23:59:59.999Z'],
    ['2028-02-29', 'end', '2028-02-29T23:59:59.999Z'],
    ['2026-03-29', 'end', '2026-03-29T23:59:59.999Z'],
  ] as const)('%s %s → %s', (value, edge, expected) => {
    expect(boundary(value, 'utc', edge)).toBe(expected);
  });

  it.each(['2026-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-00-01', '2026-03-08T24:00', ''])(
    'is undefined for the invalid day %j',
    (value) => {
      expect(boundary(value, 'utc', 'start')).toBeUndefined();
      expect(boundary(value, 'utc', 'end')).toBeUndefined();
      expect(boundary(value, 'local', 'end')).toBeUndefined();
    },
  );
});

describe('boundary in the browser zone (Europe/Berlin)', () => {
  inTimeZone('Europe/Berlin');

  it('ends a winter day at 23:59:59.999 CET', () => {
    expect(boundary('2026-01-15', 'local', 'start')).toBe('2026-01-14T23:00:00.000Z');
    expect(boundary('2026-01-15', 'local', 'end')).toBe('2026-01-15T22:59:59.999Z');
  });

  it('gives the spring-forward day 23 hours', () => {
    const start = boundary('2026-03-29', 'local', 'start')!;
    const end = boundary('2026-03-29', 'local', 'end')!;
    expect(start).toBe('2026-03-28T23:00:00.000Z');
    expect(end).toBe('2026-03-29T21:59:59.999Z');
    expect(Date.parse(end) - Date.parse(start) + 1).toBe(23 * 3_600_000);
  });

  it('gives the fall-back day 25 hours', () => {
    const start = boundary('2026-10-25', 'local', 'start')!;
    const end = boundary('2026-10-25', 'local', 'end')!;
    expect(start).toBe('2026-10-24T22:00:00.000Z');
    expect(end).toBe('2026-10-25T22:59:59.999Z');
    expect(Date.parse(end) - Date.parse(start) + 1).toBe(25 * 3_600_000);
  });

  it('ends a minute at its last millisecond in the zone', () => {
    expect(boundary('2026-03-29T10:15', 'local', 'start')).toBe('2026-03-29T08:15:00.000Z');
    expect(boundary('2026-03-29T10:15', 'local', 'end')).toBe('2026-03-29T08:15:59.999Z');
    expect(boundary('2026-01-15T23:59', 'local', 'end')).toBe('2026-01-15T22:59:59.999Z');
  });

  it('is undefined for a day that does not exist', () => {
    expect(boundary('2026-02-30', 'local', 'start')).toBeUndefined();
    expect(boundary('2026-02-30', 'local', 'end')).toBeUndefined();
  });
});

describe('boundary in the browser zone (America/New_York)', () => {
  inTimeZone('America/New_York');

  it('ends 2026-03-08 (DST starts) at 23:59:59.999 EDT, 23 hours after it starts in EST', () => {
    expect(boundary('2026-03-08', 'local', 'start')).toBe('2026-03-08T05:00:00.000Z');
    expect(boundary('2026-03-08', 'local', 'end')).toBe('2026-03-09T03:59:59.999Z');
  });
});

describe('boundary in the browser zone (America/Santiago: clocks go back at midnight)', () => {
  inTimeZone('America/Santiago');

  it('starts 2026-04-04 at 00:00 -03 and the next day at 00:00 -04', () => {
    expect(boundary('2026-04-04', 'local', 'start')).toBe('2026-04-04T03:00:00.000Z');
    expect(boundary('2026-04-05', 'local', 'start')).toBe('2026-04-05T04:00:00.000Z');
  });

  it('ends 2026-04-04 just before 2026-04-05 starts (the repeated hour included)', () => {
    expect(boundary('2026-04-04', 'local', 'end')).toBe('2026-04-05T03:59:59.999Z');
  });
});

describe('boundary for years before 100', () => {
  it('does not move 0050-01-01 to 1950', () => {
    expect([undefined, '0050-01-01T00:00:00.000Z']).toContain(boundary('0050-01-01', 'utc', 'start'));
  });
});

// ---------------------------------------------------------------------------------------------------
// viewToFilter, listKey
// ---------------------------------------------------------------------------------------------------

const NOW = new Date('2026-11-25T12:00:00.000Z');
const base: AuditView = { tz: 'utc', event: [] };

describe('viewToFilter', () => {
  it.each([
    ['1h', '2026-11-25T11:00:00.000Z'],
    ['24h', '2026-11-24T12:00:00.000Z'],
    ['7d', '2026-11-18T12:00:00.000Z'],
    ['30d', '2026-10-26T12:00:00.000Z'],
  ] as const)('turns the preset %s into from = now - duration and no "to"', (range, from) => {
    const filter = viewToFilter({ ...base, range }, NOW);
    expect(filter.from).toBe(from);
    expect(filter.to).toBeUndefined();
  });

  it('ignores stray days for a preset', () => {
    const filter = viewToFilter({ ...base, range: '24h', from: '2020-01-01', to: '2020-01-02' }, NOW);
    expect(filter).toMatchObject({ from: '2026-11-24T12:00:00.000Z', to: undefined });
  });

  it('has no time bounds without a range', () => {
    const filter = viewToFilter(base, NOW);
    expect(filter.from).toBeUndefined();
    expect(filter.to).toBeUndefined();
  });

  it('turns custom days into instants in UTC (the "to" day up to its end)', () => {
    const filter = viewToFilter({ ...base, range: 'custom', from: '2026-03-01', to: '2026-03-08' }, NOW);
    expect(filter.from).toBe('2026-03-01T00:00:00.000Z');
    expect(filter.to).toBe('2026-03-08T23:59:59.999Z');
  });

  it('turns custom minutes into instants (the "to" minute up to its end)', () => {
    const filter = viewToFilter(
      { ...base, range: 'custom', from: '2026-03-01T08:30', to: '2026-03-08T10:15' },
      NOW,
    );
    expect(filter.from).toBe('2026-03-01T08:30:00.000Z');
    expect(filter.to).toBe('2026-03-08T10:15:59.999Z');
  });

  it('leaves an open edge of a custom range open', () => {
    expect(viewToFilter({ ...base, range: 'custom', to: '2026-03-08' }, NOW)).toMatchObject({
      from: undefined,
      to: '2026-03-08T23:59:59.999Z',
    });
  });

  it('carries category, events and trimmed text filters; blank text is no filter', () => {
    const filter = viewToFilter(
      {
        ...base,
        category: AUDIT_CATEGORY,
        event: ['Permission denied', 'Settings changed'],
        author: '  jdoe ',
        username: ' svc-backup ',
        object: '   ',
        ip: ' 10.0.0.0/8 ',
        q: ' pipeline ',
      },
      NOW,
    );
    expect(filter).toEqual({
      from: undefined,
      to: undefined,
      category: AUDIT_CATEGORY,
      summary: ['Permission denied', 'Settings changed'],
      author: 'jdoe',
      username: 'svc-backup',
      object: undefined,
      ip: '10.0.0.0/8',
      q: 'pipeline',
    });
    expect(AuditFilterSchema.safeParse(filter).success).toBe(true);
  });

  describe('in the browser zone (Europe/Berlin)', () => {
    inTimeZone('Europe/Berlin');

    it('turns custom days into instants in the zone', () => {
      const filter = viewToFilter(
        { ...base, tz: 'local', range: 'custom', from: '2026-03-01', to: '2026-03-29' },
        NOW,
      );
      expect(filter.from).toBe('2026-02-28T23:00:00.000Z');
      expect(filter.to).toBe('2026-03-29T21:59:59.999Z');
    });

    it('reads the same days as UTC when the view says tz=utc', () => {
      const filter = viewToFilter({ ...base, range: 'custom', from: '2026-03-01', to: '2026-03-29' }, NOW);
      expect(filter.from).toBe('2026-03-01T00:00:00.000Z');
      expect(filter.to).toBe('2026-03-29T23:59:59.999Z');
    });
  });

  it('gives a filter a URL view produces that the API accepts', () => {
    const filter = viewToFilter(viewFromUrl(viewToParams(FULL_VIEW)), NOW);
    const parsed = AuditFilterSchema.parse(filter);
    expect(parsed.to).toBe('2026-03-08T10:15:59.999Z');
    expect(parsed.from).toBe('2026-03-01T00:00:00.000Z');
  });
});

describe('listKey', () => {
  it('leaves out only the open record', () => {
    const key = listKey(FULL_VIEW);
    expect(key).not.toHaveProperty('record');
    const { record: _record, ...rest } = FULL_VIEW;
    expect(key).toEqual(rest);
  });

  it('is the same for views that differ only in the open record, different otherwise', () => {
    expect(listKey({ ...FULL_VIEW, record: 'ar-1' })).toEqual(listKey({ ...FULL_VIEW, record: undefined }));
    expect(listKey({ ...FULL_VIEW, q: 'other' })).not.toEqual(listKey(FULL_VIEW));
  });
});
