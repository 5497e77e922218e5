import { useRef, useState } from 'react';
import { EXPORT_TOTAL_HEADER, type AuditFilter } from '@contract/audit-query';
import { csvRecordCounter } from '@contract/csv';
import { Button } from '@/components/ui/Button';
import { ApiError } from '@/lib/api-error';
import { saveFile } from '@/lib/save-file';
import { startExport } from './api';

type State =
  | { phase: 'idle' }
  /** `total`: how many records the export holds (null until the server has said). */
  | { phase: 'running'; records: number; total: number | null }
  | { phase: 'done'; records: number }
  | { phase: 'failed'; message: string };

/** JSON Lines: one record a line (a line break inside a value is escaped as \n). */
function jsonLinesCounter(): (chunk: Uint8Array) => number {
  let lines = 0;
  return (chunk) => {
    for (const byte of chunk) if (byte === 0x0a) lines++;
    return lines;
  };
}

/** Exports exactly the filtered set, streamed, with no row cap; shows how many records arrived so far. */
export function ExportButton({ filter }: { filter: AuditFilter }) {
  const [format, setFormat] = useState<'csv' | 'jsonl'>('csv');
  const [state, setState] = useState<State>({ phase: 'idle' });
  const abort = useRef<AbortController | null>(null);

  const run = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setState({ phase: 'running', records: 0, total: null });
    try {
      const response = await startExport(filter, format, controller.signal);
      const header = response.headers.get(EXPORT_TOTAL_HEADER);
      const total = header === null ? null : Number(header);
      const reader = response.body!.getReader();
      const chunks: Uint8Array[] = [];
      const count = format === 'csv' ? csvRecordCounter() : jsonLinesCounter();
      let records = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        records = count(value);
        setState({ phase: 'running', records, total });
      }
      const name =
        /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ??
        `audit-log.${format}`;
      saveFile(
        new Blob(chunks as BlobPart[], { type: response.headers.get('content-type') ?? 'text/plain' }),
        name,
      );
      setState({ phase: 'done', records });
    } catch (error) {
      if (controller.signal.aborted) setState({ phase: 'idle' });
      else
        setState({
          phase: 'failed',
          message: error instanceof ApiError ? error.message : 'The export stopped.',
        });
    } finally {
      abort.current = null;
    }
  };

  return (
    <div className="flex flex-wrap items-center gap-2">
      <label htmlFor="export-format" className="sr-only">
        Export format
      </label>
      <select
        id="export-format"
        value={format}
        onChange={(e) => setFormat(e.target.value as 'csv' | 'jsonl')}
        className="rounded-md border border-slate-400 bg-white px-2 py-1.5 text-sm dark:border-slate-500 dark:bg-slate-900"
      >
        <option value="csv">CSV</option>
        <option value="jsonl">JSON Lines</option>
      </select>
      {state.phase === 'running' ? (
        <Button onClick={() => abort.current?.abort()}>Cancel export</Button>
      ) : (
        <Button variant="primary" onClick={() => void run()}>
          Export
        </Button>
      )}
      <p role="status" aria-live="polite" className="text-sm">
        {state.phase === 'running' &&
          `Exporting… ${state.records.toLocaleString()}${
            state.total === null ? '' : ` of ${state.total.toLocaleString()}`
          } records`}
        {state.phase === 'done' && `Exported ${state.records.toLocaleString()} records.`}
        {state.phase === 'failed' && (
          <span className="text-red-700 dark:text-red-400">
            Export failed: {state.message}{' '}
            <button type="button" className="underline" onClick={() => void run()}>
              Try again
            </button>
          </span>
        )}
      </p>
    </div>
  );
}
