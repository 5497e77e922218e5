import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { AuditRecord } from '@contract/audit';
import { affectedLabel, formatTimestamp } from './format';
import { CARD_CLASS } from '@/components/ui/Card';

const ROW_HEIGHT = 44;
const COLUMNS = 'grid grid-cols-[13.5rem_15rem_9rem_minmax(10rem,1fr)_9rem_4.5rem] gap-3';

/**
 * The records, newest first, in a virtualised table: only the rows in view are in the page, so it stays
 * smooth with 100,000 loaded rows. Rows are focusable: arrow keys move, Enter opens the details.
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
  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtualiser is imperative by design; this component does not rely on the compiler's memoisation.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: records.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= records.length - 40) onLoadMore();
  }, [hasMore, loadingMore, lastIndex, records.length, onLoadMore]);

  const focusRow = (index: number) => {
    const target = Math.max(0, Math.min(records.length - 1, index));
    virtualizer.scrollToIndex(target);
    requestAnimationFrame(() =>
      scrollRef.current?.querySelector<HTMLElement>(`[data-index="${target}"]`)?.focus(),
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
      className={`${CARD_CLASS} relative overflow-x-auto text-sm`}
    >
      <div
        role="rowgroup"
        className="overflow-hidden border-b border-slate-200 bg-slate-50 font-semibold text-slate-700 dark:border-slate-800 dark:bg-slate-800 dark:text-slate-200"
      >
        <div role="row" aria-rowindex={1} className={`${COLUMNS} min-w-[66rem] px-3 py-2`}>
          <span role="columnheader">Time ({zone === 'utc' ? 'UTC' : 'browser zone'})</span>
          <span role="columnheader">Event</span>
          <span role="columnheader">Author</span>
          <span role="columnheader">Affected objects</span>
          <span role="columnheader">Source IP</span>
          <span role="columnheader">Node</span>
        </div>
      </div>
      <div ref={scrollRef} role="rowgroup" className="h-[60vh] min-h-80 overflow-auto" tabIndex={-1}>
        <div className="relative min-w-[66rem]" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const record = records[item.index]!;
            const open = record.id === openId;
            return (
              <div
                key={record.id}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={open}
                data-index={item.index}
                tabIndex={item.index === 0 || open ? 0 : -1}
                onClick={() => onOpen(record)}
                onKeyDown={(e) => onKeyDown(e, item.index, record)}
                className={`${COLUMNS} absolute inset-x-0 cursor-pointer items-center border-b border-slate-100 px-3 dark:border-slate-800 ${
                  open ? 'bg-blue-50 dark:bg-blue-950' : 'hover:bg-slate-50 dark:hover:bg-slate-800/60'
                } focus-visible:-outline-offset-2`}
                style={{ top: item.start, height: ROW_HEIGHT }}
              >
                <span role="cell" className="truncate tabular-nums">
                  {formatTimestamp(record.timestamp, zone)}
                </span>
                <span role="cell" className="truncate font-medium">
                  {record.summary}
                </span>
                <span role="cell" className="truncate">
                  {record.author.username ?? record.author.displayName}
                </span>
                <span role="cell" className="truncate">
                  {affectedLabel(record)}
                </span>
                <span role="cell" className="truncate font-mono text-xs">
                  {record.source.clientIp ?? ''}
                </span>
                <span role="cell" className="truncate">
                  {record.source.nodeId}
                </span>
              </div>
            );
          })}
        </div>
        {loadingMore && <p className="p-3 text-sm">Loading more records…</p>}
      </div>
    </div>
  );
}
