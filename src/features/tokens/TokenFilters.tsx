import {
  SCOPE_LABELS,
  STATUS_FILTER_LABELS,
  TOKEN_STATUS_FILTERS,
  type TokenListQuery,
  type TokenScope,
} from '@contract/tokens';
import { Button } from '@/components/ui/Button';
import { INPUT_CLASS } from '@/components/ui/Field';
import { FilterField } from '@/components/ui/FilterField';
import { dayBoundary, localDay } from '@/lib/time';
import { useMirror } from '@/lib/use-mirror';
import type { UrlStateUpdate } from '@/lib/use-url-state';
import { hasTokenFilters } from './filters';
import { CARD_CLASS } from '@/components/ui/Card';

type Update = UrlStateUpdate<TokenListQuery>;

/** Owners typed as a list: "a, b" however it is spaced. */
const ownerList = (text: string) =>
  text
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);

const RANGES = [
  { label: 'Created', from: 'createdFrom', to: 'createdTo' },
  { label: 'Last used', from: 'lastUsedFrom', to: 'lastUsedTo' },
  { label: 'Expires', from: 'expiresFrom', to: 'expiresTo' },
] as const;

/** The list's filters; every change goes to the address bar. Dates are days in the browser's zone. */
export function TokenFilters({
  query,
  update,
  showOwner,
}: {
  query: TokenListQuery;
  update: Update;
  showOwner: boolean;
}) {
  // The boxes show a change at once; the address bar follows.
  const [statuses, setStatuses] = useMirror(query.status);
  const [neverUsed, setNeverUsed] = useMirror(query.neverUsed);

  const active = hasTokenFilters(query);
  const datesSet = RANGES.flatMap((r) => [query[r.from], query[r.to]]).filter(Boolean).length;

  return (
    <div className={`${CARD_CLASS} space-y-3 p-4`}>
      <div className="flex flex-wrap items-end gap-3">
        <FilterField
          id="filter-description"
          label="Description"
          className="min-w-48 flex-1"
          placeholder="Search descriptions"
          value={query.q}
          onChange={(q, options) => update({ q }, options)}
        />
        {showOwner && (
          <FilterField
            id="filter-owner"
            label="Owners"
            className="min-w-48 flex-1"
            placeholder="Usernames, separated by commas"
            value={query.owner.join(', ') || undefined}
            normalise={(text) => ownerList(text).join(', ')}
            onChange={(owners, options) => update({ owner: ownerList(owners ?? '') }, options)}
          />
        )}
        <div>
          <label htmlFor="filter-scope" className="block text-sm font-medium">
            Scope
          </label>
          <select
            id="filter-scope"
            className={`mt-1 ${INPUT_CLASS}`}
            value={query.scope ?? ''}
            onChange={(e) => update({ scope: (e.target.value || undefined) as TokenScope | undefined })}
          >
            <option value="">Any scope</option>
            {(['READ_ONLY', 'READ_WRITE'] as const).map((s) => (
              <option key={s} value={s}>
                {SCOPE_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend className="text-sm font-medium">Status</legend>
          <div className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-sm">
            {TOKEN_STATUS_FILTERS.map((status) => (
              <label key={status} className="flex items-center gap-1.5">
                <input
                  type="checkbox"
                  checked={statuses.includes(status)}
                  onChange={(e) => {
                    const next = e.target.checked
                      ? [...statuses, status]
                      : statuses.filter((s) => s !== status);
                    setStatuses(next);
                    update({ status: next });
                  }}
                />
                {STATUS_FILTER_LABELS[status]}
              </label>
            ))}
            <label className="flex items-center gap-1.5">
              <input
                type="checkbox"
                checked={neverUsed}
                onChange={(e) => {
                  setNeverUsed(e.target.checked);
                  update({ neverUsed: e.target.checked });
                }}
              />
              Never used
            </label>
          </div>
        </fieldset>
      </div>
      {/* Open while a date narrows the list (e.g. "Unused for 90 days" from the Overview): a filter in sight. */}
      <details className="text-sm" open={datesSet > 0 || undefined}>
        <summary className="cursor-pointer font-medium">
          Date ranges{datesSet > 0 && ` (${datesSet})`}
        </summary>
        <div className="mt-2 grid gap-3 sm:grid-cols-3">
          {RANGES.map((range) => (
            <fieldset key={range.label}>
              <legend className="font-medium">{range.label}</legend>
              <div className="mt-1 flex items-center gap-1">
                <label className="sr-only" htmlFor={`${range.from}`}>
                  {range.label} from
                </label>
                <input
                  id={range.from}
                  type="date"
                  className={INPUT_CLASS}
                  value={localDay(query[range.from])}
                  onChange={(e) => update({ [range.from]: dayBoundary(e.target.value, 'start') })}
                />
                <span aria-hidden="true">–</span>
                <label className="sr-only" htmlFor={`${range.to}`}>
                  {range.label} to
                </label>
                <input
                  id={range.to}
                  type="date"
                  className={INPUT_CLASS}
                  value={localDay(query[range.to])}
                  onChange={(e) => update({ [range.to]: dayBoundary(e.target.value, 'end') })}
                />
              </div>
            </fieldset>
          ))}
        </div>
      </details>
      {active && (
        <Button
          variant="ghost"
          onClick={() => {
            update({
              q: undefined,
              scope: undefined,
              status: [],
              owner: [],
              neverUsed: false,
              createdFrom: undefined,
              createdTo: undefined,
              lastUsedFrom: undefined,
              lastUsedTo: undefined,
              expiresFrom: undefined,
              expiresTo: undefined,
            });
          }}
        >
          Clear filters
        </Button>
      )}
    </div>
  );
}
