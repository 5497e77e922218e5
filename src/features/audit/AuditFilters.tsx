import type { ReactNode } from 'react';
import { AUDIT_CATEGORIES, AUDIT_EVENTS } from '@contract/audit';
import { ipEntryError } from '@contract/ip';
import { Button } from '@/components/ui/Button';
import { INPUT_CLASS } from '@/components/ui/Field';
import { FilterField } from '@/components/ui/FilterField';
import { useMirror } from '@/lib/use-mirror';
import type { UrlStateUpdate } from '@/lib/use-url-state';
import { RANGE_PRESETS, zoneName, type AuditView } from '@/lib/audit-view';
import { boundary, formatDate, formatDateTime } from '@/lib/time';
import { timeZoneOf } from './format';
import { CARD_CLASS } from '@/components/ui/Card';

type Update = UrlStateUpdate<AuditView>;

function Select({
  id,
  label,
  children,
  ...props
}: { id: string; label: string; children: ReactNode } & React.SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <select id={id} className={`mt-1 ${INPUT_CLASS}`} {...props}>
        {children}
      </select>
    </div>
  );
}

function splitDateTime(value: string | undefined): [string, string] {
  const [date = '', time = ''] = (value ?? '').split('T');
  return [date, time];
}

function RangeEdge({ edge, view, update }: { edge: 'from' | 'to'; view: AuditView; update: Update }) {
  const [date, time] = splitDateTime(view[edge]);
  const label = edge === 'from' ? 'From' : 'To';
  const set = (d: string, t: string) => update({ [edge]: d ? (t ? `${d}T${t}` : d) : undefined });
  return (
    <fieldset className="flex items-end gap-1">
      <legend className="sr-only">{label}</legend>
      <div>
        <label htmlFor={`range-${edge}-date`} className="block text-sm font-medium">
          {label} date
        </label>
        <input
          id={`range-${edge}-date`}
          type="date"
          className={`mt-1 ${INPUT_CLASS}`}
          value={date}
          onChange={(e) => set(e.target.value, time)}
        />
      </div>
      <div>
        <label htmlFor={`range-${edge}-time`} className="block text-sm font-medium">
          {label} time <span className="font-normal text-slate-600 dark:text-slate-300">(optional)</span>
        </label>
        <input
          id={`range-${edge}-time`}
          type="time"
          className={`mt-1 ${INPUT_CLASS}`}
          value={time}
          disabled={!date}
          onChange={(e) => set(date, e.target.value)}
        />
      </div>
    </fieldset>
  );
}

export function AuditFilters({ view, update }: { view: AuditView; update: Update }) {
  const [events, setEvents] = useMirror(view.event);
  return (
    <div className={`${CARD_CLASS} space-y-3 p-4`}>
      <div className="flex flex-wrap items-end gap-3">
        <Select
          id="filter-range"
          label="Time range"
          value={view.range ?? ''}
          onChange={(e) => {
            const range = (e.target.value || undefined) as AuditView['range'];
            update({ range, from: undefined, to: undefined });
          }}
        >
          <option value="">Any time</option>
          {RANGE_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom range</option>
        </Select>
        {view.range === 'custom' && (
          <>
            <RangeEdge edge="from" view={view} update={update} />
            <RangeEdge edge="to" view={view} update={update} />
          </>
        )}
        <Select
          id="filter-zone"
          label="Time zone"
          value={view.tz}
          onChange={(e) => update({ tz: e.target.value as AuditView['tz'] })}
        >
          <option value="local">Browser ({zoneName('local')})</option>
          <option value="utc">UTC</option>
        </Select>
        <Select
          id="filter-category"
          label="Category"
          value={view.category ?? ''}
          onChange={(e) => update({ category: (e.target.value || undefined) as AuditView['category'] })}
        >
          <option value="">Any category</option>
          {AUDIT_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </Select>
        <details className="relative">
          <summary className="cursor-pointer rounded-md border border-slate-400 px-3 py-1.5 text-sm dark:border-slate-500">
            Events{events.length ? ` (${events.length})` : ''}
          </summary>
          <fieldset className="absolute z-20 mt-1 w-80 rounded-md border border-slate-300 bg-white p-3 shadow-lg dark:border-slate-600 dark:bg-slate-900">
            <legend className="sr-only">Events</legend>
            {AUDIT_EVENTS.map((event) => (
              <label key={event} className="flex items-center gap-2 py-0.5 text-sm">
                <input
                  type="checkbox"
                  checked={events.includes(event)}
                  onChange={(e) => {
                    const next = e.target.checked ? [...events, event] : events.filter((x) => x !== event);
                    setEvents(next);
                    update({ event: next });
                  }}
                />
                {event}
              </label>
            ))}
          </fieldset>
        </details>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <FilterField
          id="filter-author"
          label="Author"
          placeholder="Username or Anonymous"
          value={view.author}
          onChange={(author, options) => update({ author }, options)}
        />
        <FilterField
          id="filter-object"
          label="Affected object"
          placeholder="User or token id"
          value={view.object}
          onChange={(object, options) => update({ object }, options)}
        />
        <FilterField
          id="filter-ip"
          label="Source IP"
          placeholder="Address or CIDR, e.g. 10.0.0.0/8"
          value={view.ip}
          validate={ipEntryError}
          onChange={(ip, options) => update({ ip }, options)}
        />
        <FilterField
          id="filter-q"
          label="Search"
          placeholder="Summary, details, token, endpoint"
          value={view.q}
          onChange={(q, options) => update({ q }, options)}
        />
      </div>
    </div>
  );
}

/** A custom range's day or minute, in the console's date format and the view's zone. */
function rangeEdgeLabel(value: string, zone: AuditView['tz']): string {
  const instant = boundary(value, zone, 'start');
  if (!instant) return value;
  return value.includes('T')
    ? formatDateTime(instant, timeZoneOf(zone))
    : `${formatDate(instant, timeZoneOf(zone))} (${zoneName(zone)})`;
}

/** The active filters as removable chips, with "Clear all". */
export function FilterChips({ view, update }: { view: AuditView; update: Update }) {
  const chips: { label: string; remove: Partial<AuditView> }[] = [];
  const preset = RANGE_PRESETS.find((p) => p.id === view.range);
  if (preset) chips.push({ label: preset.label, remove: { range: undefined } });
  if (view.range === 'custom') {
    if (view.from)
      chips.push({ label: `From ${rangeEdgeLabel(view.from, view.tz)}`, remove: { from: undefined } });
    if (view.to) chips.push({ label: `To ${rangeEdgeLabel(view.to, view.tz)}`, remove: { to: undefined } });
  }
  if (view.category) chips.push({ label: `Category: ${view.category}`, remove: { category: undefined } });
  for (const event of view.event) {
    chips.push({ label: `Event: ${event}`, remove: { event: view.event.filter((e) => e !== event) } });
  }
  if (view.author) chips.push({ label: `Author: ${view.author}`, remove: { author: undefined } });
  if (view.object) chips.push({ label: `Object: ${view.object}`, remove: { object: undefined } });
  if (view.ip) chips.push({ label: `Source IP: ${view.ip}`, remove: { ip: undefined } });
  if (view.q) chips.push({ label: `Search: ${view.q}`, remove: { q: undefined } });
  if (chips.length === 0) return null;
  return (
    <ul aria-label="Active filters" className="flex flex-wrap items-center gap-2">
      {chips.map((chip) => (
        <li key={chip.label}>
          <span className="inline-flex items-center gap-1 rounded-full border border-slate-300 bg-white py-0.5 pr-1 pl-3 text-sm dark:border-slate-600 dark:bg-slate-900">
            {chip.label}
            <button
              type="button"
              aria-label={`Remove filter ${chip.label}`}
              className="rounded-full px-1.5 text-slate-600 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-700"
              onClick={() => update(chip.remove)}
            >
              ✕
            </button>
          </span>
        </li>
      ))}
      <li>
        <Button
          variant="ghost"
          onClick={() =>
            update({
              range: undefined,
              from: undefined,
              to: undefined,
              category: undefined,
              event: [],
              author: undefined,
              object: undefined,
              ip: undefined,
              q: undefined,
            })
          }
        >
          Clear all
        </Button>
      </li>
    </ul>
  );
}
