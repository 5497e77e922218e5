import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { AuditRecord } from '@contract/audit';
import { affectedLabel, formatTimestamp } from './format';
import { CARD_CLASS } from '@/components/ui/Card';

const ROW_HEIGHT = 44;
/**
 * By the width the list has (a container query: the details panel beside it takes some): one column
 * on a phone (time over event), the author from 42rem, every column from 64rem. The time column fits
 * a time with seconds and its zone ("Dec 25, 2026, 11:59:59 PM CEST"); the event column is as wide as
 * the longest event name ("Failed API token bearer authentication attempt") before the affected
 * objects get the rest.
 */
const COLUMNS =
  'grid grid-cols-1 gap-x-3 @2xl:grid-cols-[14.5rem_minmax(0,1fr)_8rem] @5xl:grid-cols-[14.5rem_minmax(12rem,22rem)_8rem_minmax(8rem,1fr)_9rem_4rem]';
const FROM_MD = 'hidden truncate @2xl:block';
const FROM_LG = 'hidden truncate @5xl:block';

/** Where an element starts in the page (the virtualiser's scroll margin): it moves when what is above it does. */
function usePageTop(ref: React.RefObject<HTMLElement | null>): number {
  const [top, setTop] = useState(0);
  useLayoutEffect(() => {
    const measure = () => {
      const el = ref.current;
      if (el) setTop(el.getBoundingClientRect().top + window.scrollY);
    };
    measure();
    // The page's height changes when anything above the list does (a timeline folded, filters opened).
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, [ref]);
  return top;
}

/**
 * The records, newest first, in a virtualised table that scrolls with the page (one scroll bar; the
 * header row stays at the top): only the rows in view are in the page, so it stays smooth with 100,000
 * loaded rows. Rows are focusable: arrow keys move, Enter opens the details.
 */
export function AuditList({
  records,
  zone,
  openId,
  onOpen,
  hasMore,
  loadingMore,
  onLoadMore,
}: {
  records: readonly AuditRecord[];
  zone: 'utc' | 'local';
  openId: string | undefined;
  onOpen: (record: AuditRecord) => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}) {
  const bodyRef = useRef<HTMLDivElement>(null);
  const scrollMargin = usePageTop(bodyRef);
  const virtualizer = useWindowVirtualizer({
    count: records.length,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= records.length - 40) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, records.length, onLoadMore]);

  const focusRow = (index: number) => {
    const target = Math.max(0, Math.min(records.length - 1, index));
    virtualizer.scrollToIndex(target, { align: 'auto' });
    requestAnimationFrame(() =>
      bodyRef.current?.querySelector<HTMLElement>(`[data-index="${target}"]`)?.focus({ preventScroll: true }),
    );
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>, index: number, record: AuditRecord) => {
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
    if (event.key in moves) {
      event.preventDefault();
      focusRow(index + moves[event.key]!);
    } else if (event.key === 'Home') {
      event.preventDefault();
      focusRow(0);
    } else if (event.key === 'End') {
      event.preventDefault();
      focusRow(records.length - 1);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(record);
    }
  };

  return (
    <div
      role="table"
      aria-label="Audit records"
      aria-rowcount={hasMore ? -1 : records.length + 1}
      className={`${CARD_CLASS} @container text-sm`}
    >
      <div
        role="rowgroup"
        className="sticky top-0 z-10 rounded-t-lg border-b border-slate-200 bg-slate-50 font-semibold text-slate-700 dark:border-slate-800 dark:bg-slate-800 dark:text-slate-200"
      >
        <div role="row" aria-rowindex={1} className={`${COLUMNS} px-3 py-2`}>
          <span role="columnheader">Time ({zone === 'utc' ? 'UTC' : 'browser zone'})</span>
          <span role="columnheader">Event</span>
          <span role="columnheader" className={FROM_MD}>
            Author
          </span>
          <span role="columnheader" className={FROM_LG}>
            Affected objects
          </span>
          <span role="columnheader" className={FROM_LG}>
            Source IP
          </span>
          <span role="columnheader" className={FROM_LG}>
            Node
          </span>
        </div>
      </div>
      <div ref={bodyRef} role="rowgroup" className="relative" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const record = records[item.index]!;
          const open = record.id === openId;
          return (
            <div
              key={record.id}
              ref={virtualizer.measureElement}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={open}
              data-index={item.index}
              tabIndex={item.index === 0 || open ? 0 : -1}
              onClick={() => onOpen(record)}
              onKeyDown={(e) => onKeyDown(e, item.index, record)}
              className={`${COLUMNS} absolute inset-x-0 top-0 min-h-11 cursor-pointer content-center border-b border-slate-100 px-3 py-1.5 dark:border-slate-800 ${
                open ? 'bg-blue-50 dark:bg-blue-950' : 'hover:bg-slate-50 dark:hover:bg-slate-800/60'
              } focus-visible:-outline-offset-2`}
              style={{ transform: `translateY(${item.start - scrollMargin}px)` }}
            >
              <span
                role="cell"
                className="truncate text-xs text-slate-700 tabular-nums @2xl:text-sm dark:text-slate-300"
              >
                {formatTimestamp(record.timestamp, zone)}
              </span>
              <span role="cell" className="truncate font-medium">
                {record.summary}
              </span>
              <span role="cell" className={FROM_MD}>
                {record.author.username ?? record.author.displayName}
              </span>
              <span role="cell" className={FROM_LG}>
                {affectedLabel(record)}
              </span>
              <span role="cell" className={`${FROM_LG} font-mono text-xs`}>
                {record.source.clientIp ?? ''}
              </span>
              <span role="cell" className={FROM_LG}>
                {record.source.nodeId}
              </span>
            </div>
          );
        })}
      </div>
      {loadingMore && <p className="p-3 text-sm">Loading more records…</p>}
    </div>
  );
}
