import { useQuery } from '@tanstack/react-query';
import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { bucketTotal as total, OUTCOME_LABELS, OUTCOMES, type Histogram } from '@contract/histogram';
import { Button } from '@/components/ui/Button';
import { selectTimelineHidden, usePreferences } from '@/stores/preferences';
import { ErrorState } from '@/components/ui/ErrorState';
import { LoadingState } from '@/components/ui/LoadingState';
import { formatDateTime } from '@/lib/time';
import { histogramQueryOptions } from './api';
import { OUTCOME_COLOURS } from '@/components/outcome-colours';
import { toZoneMinute, type AuditView } from '@/lib/audit-view';
import { CARD_CLASS } from '@/components/ui/Card';
import { LINK_CLASS } from '@/components/ui/TextLink';

const HEIGHT = 120;
const UNIT_LABEL = { minute: 'per minute', hour: 'per hour', day: 'per day' } as const;

function bucketEnd(histogram: Histogram, index: number): number {
  const next = histogram.buckets[index + 1];
  return next ? Date.parse(next.start) : Date.parse(histogram.to);
}

/**
 * Record counts over time for exactly the current filters, stacked by outcome. Dragging across it or
 * choosing a bar narrows the time filter (through the address bar, so back undoes it). Its text
 * alternative is a table of the buckets. It can be folded away (remembered in this browser); folded,
 * it reads nothing.
 */
export function AuditTimeline({
  view,
  onNarrow,
}: {
  view: AuditView;
  onNarrow: (from: string, to: string) => void;
}) {
  const hidden = usePreferences(selectTimelineHidden);
  const setHidden = usePreferences((s) => s.setTimelineHidden);
  const histogram = useQuery({ ...histogramQueryOptions(view), enabled: !hidden });
  const toggle = (
    <Button
      variant="ghost"
      aria-expanded={!hidden}
      aria-controls="audit-timeline"
      onClick={() => setHidden(!hidden)}
    >
      {hidden ? 'Show timeline' : 'Hide timeline'}
    </Button>
  );
  return (
    <section aria-labelledby="timeline-title" className={`${CARD_CLASS} ${hidden ? 'px-4 py-2' : 'p-4'}`}>
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1">
        <h2 id="timeline-title" className="text-sm font-semibold">
          Timeline
          {!hidden && histogram.data && <TimelineCaption histogram={histogram.data} />}
        </h2>
        {toggle}
      </div>
      {!hidden && histogram.data && histogram.data.buckets.some((b) => total(b) > 0) && <Legend />}
      {!hidden && (
        <div id="audit-timeline">
          {histogram.isPending ? (
            <LoadingState label="Loading the timeline…" />
          ) : histogram.isError ? (
            <ErrorState error={histogram.error} onRetry={() => void histogram.refetch()} />
          ) : (
            <Chart histogram={histogram.data} view={view} onNarrow={onNarrow} />
          )}
        </div>
      )}
    </section>
  );
}

function TimelineCaption({ histogram }: { histogram: Histogram }) {
  const sum = histogram.buckets.reduce((s, b) => s + total(b), 0);
  if (sum === 0) return null;
  return (
    <>
      {' '}
      <span className="font-normal text-slate-600 dark:text-slate-300">
        — {sum.toLocaleString()} records, {UNIT_LABEL[histogram.bucket]} ({histogram.tz})
      </span>
    </>
  );
}

function Legend() {
  return (
    <ul className="flex flex-wrap gap-x-3 gap-y-1 text-xs" aria-label="Legend">
      {OUTCOMES.map((o) => (
        <li key={o} className="flex items-center gap-1">
          <span
            aria-hidden="true"
            className="inline-block size-3 rounded-sm"
            style={{ background: OUTCOME_COLOURS[o] }}
          />
          {OUTCOME_LABELS[o]}
        </li>
      ))}
    </ul>
  );
}

function Chart({
  histogram,
  view,
  onNarrow,
}: {
  histogram: Histogram;
  view: AuditView;
  onNarrow: (from: string, to: string) => void;
}) {
  const zone = view.tz === 'utc' ? 'UTC' : undefined;
  const { buckets } = histogram;
  const max = Math.max(1, ...buckets.map(total));
  const [active, setActive] = useState(0);
  const [hover, setHover] = useState<number | null>(null);
  const [focused, setFocused] = useState(false);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const count = buckets.length;
  const sum = buckets.reduce((s, b) => s + total(b), 0);

  const label = (i: number) => {
    const b = buckets[i]!;
    const range = `${formatDateTime(b.start, zone)} – ${formatDateTime(new Date(bucketEnd(histogram, i)).toISOString(), zone)}`;
    const parts = OUTCOMES.filter((o) => b.counts[o] > 0).map(
      (o) => `${b.counts[o]} ${OUTCOME_LABELS[o].toLowerCase()}`,
    );
    const n = total(b);
    return `${range}: ${n} ${n === 1 ? 'record' : 'records'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
  };
  const narrow = (a: number, b: number) => {
    const first = Math.min(a, b);
    const last = Math.max(a, b);
    // The range's end is the last minute inside the last bucket (the "to" is inclusive).
    onNarrow(
      toZoneMinute(Date.parse(buckets[first]!.start), view.tz),
      toZoneMinute(bucketEnd(histogram, last) - 60_000, view.tz),
    );
  };
  const indexAt = (event: PointerEvent<SVGSVGElement>) => {
    const rect = svgRef.current!.getBoundingClientRect();
    return Math.max(0, Math.min(count - 1, Math.floor(((event.clientX - rect.left) / rect.width) * count)));
  };
  const onKeyDown = (event: KeyboardEvent<SVGSVGElement>) => {
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, Home: -count, End: count };
    if (event.key in moves) {
      event.preventDefault();
      setActive((i) => Math.max(0, Math.min(count - 1, i + moves[event.key]!)));
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      narrow(active, active);
    }
  };
  const shown = hover ?? (focused && !drag ? active : null);
  const selected = drag ? [Math.min(drag.from, drag.to), Math.max(drag.from, drag.to)] : null;

  if (count === 0 || sum === 0) {
    return (
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        No records in this range: nothing to draw.
      </p>
    );
  }

  return (
    <>
      <svg
        ref={svgRef}
        role="img"
        aria-label={`Timeline of ${sum} records. Use the arrow keys to move between ${UNIT_LABEL[histogram.bucket].replace('per ', '')}s and Enter to narrow the time filter to one.`}
        tabIndex={0}
        viewBox={`0 0 ${count} ${HEIGHT}`}
        preserveAspectRatio="none"
        className="mt-2 h-32 w-full cursor-crosshair touch-none rounded outline-offset-2"
        onKeyDown={onKeyDown}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onPointerDown={(e) => {
          svgRef.current?.setPointerCapture?.(e.pointerId);
          const i = indexAt(e);
          setDrag({ from: i, to: i });
        }}
        onPointerMove={(e) => {
          const i = indexAt(e);
          setHover(i);
          if (drag) setDrag({ ...drag, to: i });
        }}
        onPointerLeave={() => setHover(null)}
        onPointerUp={() => {
          if (drag) narrow(drag.from, drag.to);
          setDrag(null);
        }}
      >
        {buckets.map((b, i) => {
          let y = HEIGHT;
          return (
            <g key={b.start}>
              {selected && i >= selected[0]! && i <= selected[1]! && (
                <rect x={i} y={0} width={1} height={HEIGHT} fill="currentColor" opacity={0.12} />
              )}
              {OUTCOMES.map((o) => {
                const h = (b.counts[o] / max) * (HEIGHT - 4);
                y -= h;
                return h > 0 ? (
                  <rect key={o} x={i + 0.1} y={y} width={0.8} height={h} fill={OUTCOME_COLOURS[o]} />
                ) : null;
              })}
              {i === shown && (
                <rect
                  x={i}
                  y={0}
                  width={1}
                  height={HEIGHT}
                  fill="none"
                  stroke="currentColor"
                  strokeWidth={0.08}
                  vectorEffect="non-scaling-stroke"
                />
              )}
            </g>
          );
        })}
      </svg>
      <div
        className="mt-1 flex justify-between text-xs text-slate-600 dark:text-slate-300"
        aria-hidden="true"
      >
        <span>{formatDateTime(buckets[0]!.start, zone)}</span>
        <span>{formatDateTime(histogram.to, zone)}</span>
      </div>
      <p role="status" aria-live="polite" className="mt-1 min-h-5 text-sm">
        {shown !== null ? (
          label(shown)
        ) : (
          <span className="text-slate-600 dark:text-slate-300">
            Point at or focus a bar to see its counts; drag across bars, or press Enter on one, to narrow the
            time range.
          </span>
        )}
      </p>
      <details className="mt-1 text-sm">
        <summary className={`cursor-pointer ${LINK_CLASS}`}>Show the timeline as a table</summary>
        <div className="mt-2 max-h-64 overflow-y-auto" tabIndex={0} role="region" aria-label="Timeline table">
          <table className="w-full text-left text-xs">
            <caption className="sr-only">Audit records per {histogram.bucket}</caption>
            <thead>
              <tr>
                <th scope="col" className="py-1 pr-3">
                  Start ({histogram.tz})
                </th>
                {OUTCOMES.map((o) => (
                  <th key={o} scope="col" className="py-1 pr-3">
                    {OUTCOME_LABELS[o]}
                  </th>
                ))}
                <th scope="col" className="py-1">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {buckets.map((b) => (
                <tr key={b.start} className="border-t border-slate-100 dark:border-slate-800">
                  <th scope="row" className="py-1 pr-3 font-normal whitespace-nowrap">
                    {formatDateTime(b.start, zone)}
                  </th>
                  {OUTCOMES.map((o) => (
                    <td key={o} className="py-1 pr-3 tabular-nums">
                      {b.counts[o]}
                    </td>
                  ))}
                  <td className="py-1 tabular-nums">{total(b)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
