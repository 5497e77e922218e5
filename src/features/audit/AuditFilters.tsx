import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { AUDIT_CATEGORIES, AUDIT_EVENTS } from '@contract/audit';
import { ipEntryError } from '@contract/ip';
import { Button } from '@/components/ui/Button';
import { INPUT_CLASS } from '@/components/ui/Field';
import { FilterField } from '@/components/ui/FilterField';
import { useMirror } from '@/lib/use-mirror';
import type { UrlStateUpdate } from '@/lib/use-url-state';
import { RANGE_PRESETS, zoneName, type AuditView } from '@/lib/audit-view';
import { activeFilters } from './filters';
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

/** Wide enough for every placeholder ("Username or Anonymous"), whatever else shares the row. */
const TEXT_FILTER_CLASS = 'min-w-56 flex-1';

/** The text filters, each applied as it is typed (FilterField). */
const TEXT_FILTERS: {
  key: 'author' | 'username' | 'object' | 'ip' | 'q';
  label: string;
  placeholder: string;
  validate?: (text: string) => string | null;
}[] = [
  { key: 'author', label: 'Author', placeholder: 'Username or Anonymous' },
  { key: 'username', label: 'Username', placeholder: 'Named by an attempt' },
  { key: 'object', label: 'Affected object', placeholder: 'User or token id' },
  { key: 'ip', label: 'Source IP', placeholder: 'e.g. 10.0.0.0/8', validate: ipEntryError },
  { key: 'q', label: 'Search', placeholder: 'Event, token, endpoint' },
];

/** Closes a popup on a pointer press outside `inside` and on Escape (which returns focus to `opener`). */
function useDismiss(
  open: boolean,
  inside: readonly React.RefObject<HTMLElement | null>[],
  opener: React.RefObject<HTMLElement | null>,
  onClose: () => void,
) {
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!inside.some((ref) => ref.current?.contains(event.target as Node))) onClose();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      onClose();
      opener.current?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open, inside, opener, onClose]);
}

/**
 * The filters. The events list opens in the flow of the filters (it pushes the fields below it down
 * instead of covering them) and closes on a click outside it or Escape. On a phone the filters fold
 * behind "Filters (N)", so that the records come first.
 */
export function AuditFilters({ view, update }: { view: AuditView; update: Update }) {
  const [events, setEvents] = useMirror(view.event);
  const [eventsOpen, setEventsOpen] = useState(false);
  const [shownOnPhone, setShownOnPhone] = useState(false);
  const eventsButton = useRef<HTMLButtonElement>(null);
  const eventsPanel = useRef<HTMLFieldSetElement>(null);
  const [eventsParts] = useState(() => [eventsButton, eventsPanel]);
  const closeEvents = useCallback(() => setEventsOpen(false), []);
  useDismiss(eventsOpen, eventsParts, eventsButton, closeEvents);
  const count = activeFilters(view).length;

  return (
    <div>
      <Button
        className="sm:hidden"
        aria-expanded={shownOnPhone}
        aria-controls="audit-filters"
        onClick={() => setShownOnPhone((shown) => !shown)}
      >
        Filters{count > 0 ? ` (${count})` : ''}
        <span aria-hidden="true">{shownOnPhone ? '▴' : '▾'}</span>
      </Button>
      <div
        id="audit-filters"
        role="group"
        aria-label="Filters"
        className={`${shownOnPhone ? 'mt-2' : 'hidden'} sm:mt-0 sm:block ${CARD_CLASS} space-y-3 p-4`}
      >
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
          <Button
            ref={eventsButton}
            aria-expanded={eventsOpen}
            aria-controls="filter-events"
            onClick={() => setEventsOpen((open) => !open)}
          >
            Events{events.length ? ` (${events.length})` : ''}
            <span aria-hidden="true">{eventsOpen ? '▴' : '▾'}</span>
          </Button>
        </div>
        {eventsOpen && (
          <fieldset
            ref={eventsPanel}
            id="filter-events"
            className="rounded-md border border-slate-300 p-3 dark:border-slate-600"
          >
            <legend className="px-1 text-sm font-medium">Events</legend>
            <div className="grid gap-x-4 sm:grid-cols-2 lg:grid-cols-3">
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
            </div>
          </fieldset>
        )}
        {/* Top-aligned: a field's message below it never moves the others. */}
        <div className="flex flex-wrap items-start gap-3">
          {TEXT_FILTERS.map(({ key, ...field }) => (
            <FilterField
              key={key}
              id={`filter-${key}`}
              className={TEXT_FILTER_CLASS}
              {...field}
              value={view[key]}
              onChange={(value, options) => update({ [key]: value }, options)}
            />
          ))}
        </div>
      </div>
    </div>
  );
}

/** The active filters as removable chips, with "Clear all". */
export function FilterChips({ view, update }: { view: AuditView; update: Update }) {
  const chips = activeFilters(view);
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
              username: undefined,
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
