import type Database from 'better-sqlite3';

// Reading SQLite newest first: statements for SQL built at run time, and scans in growing chunks that
// can be merged by id (the audit planner merges index scans; log entries are scanned the same way).

export type Statement = Database.Statement<unknown[], unknown>;

/** Greater than every id (ids are ASCII). */
export const ID_MAX = '\uffff';
/** The largest chunk a scan fetches at once. */
export const MAX_CHUNK = 4_096;

/** Statements for SQL built at run time (filters): each prepared once per distinct text, the oldest forgotten first. */
export class StatementCache {
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly size = 300,
  ) {}

  get(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= this.size) {
        const oldest = this.statements.keys().next().value;
        if (oldest !== undefined) this.statements.delete(oldest);
      }
      statement = this.db.prepare<unknown[], unknown>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/**
 * The rows of `statement` (which takes `@below` and `@chunk` and answers newest first), fetched in
 * growing chunks: nothing stays open on the connection between chunks, so several scans can be
 * merged, and the caller may stop at any row.
 */
export function* scanDescending<R extends { id: string }>(
  statement: Statement,
  params: Record<string, unknown>,
  below: string,
  firstChunk: number,
): Generator<R> {
  let chunk = Math.max(1, firstChunk);
  for (;;) {
    const rows = statement.all({ ...params, below, chunk }) as R[];
    yield* rows;
    const last = rows.at(-1);
    if (rows.length < chunk || !last) return;
    below = last.id;
    chunk = Math.min(chunk * 4, MAX_CHUNK);
  }
}

/**
 * One of the scans that `mergeDescending` merges: `statement` takes `@below`, `@above` (only rows with
 * an id above it; '' for none) and `@chunk`, and answers newest first.
 */
export interface MergedScan {
  statement: Statement;
  params: Record<string, unknown>;
  /** Read only down to the others' rows (true unless said otherwise: a scan of a few entries is read whole). */
  bounded?: boolean;
}

/** What the merge knows of one scan. */
interface ScanState<R> {
  scan: MergedScan;
  /** The rows of the last fetch, newest first; those from `at` on are not merged yet. */
  rows: R[];
  at: number;
  /** The next fetch reads below this id. */
  below: string;
  chunk: number;
  /** The scan has no row above this id that is not in `rows` (undefined: not known). */
  noneAbove?: string;
  /** The scan has no more rows. */
  done: boolean;
}

/**
 * Newest-first scans merged into one newest-first stream, each id once. A scan is only read down to
 * the newest row that another scan already holds (`@above`): a scan whose rows are rare does not read
 * its whole index ahead of the others. While no scan holds a row, all of them look in a window below
 * where they are, `windowBelow(id, width)` (the id `width` ids below `id`; undefined: the whole rest),
 * widened fourfold each time. So the merge reads about as far back as the rows it gives out, never
 * much further than one scan along the ids would.
 */
export function* mergeDescending<R extends { id: string }>(
  scans: MergedScan[],
  below: string,
  firstChunk: number,
  windowBelow: (id: string, width: number) => string | undefined = () => undefined,
): Generator<R> {
  let width = Math.max(1, firstChunk) * 4;
  const states: ScanState<R>[] = scans.map((scan) => ({
    scan,
    rows: [],
    at: 0,
    below,
    chunk: Math.max(1, firstChunk),
    done: false,
  }));
  /**
   * Fetches the scan's next rows above `above` (all of them when undefined). `given`: the record
   * `above` is another scan's, given out first, so this one never reads it.
   */
  const fetch = (state: ScanState<R>, above: string | undefined, given: boolean) => {
    const chunk = state.chunk;
    const rows = state.scan.statement.all({
      ...state.scan.params,
      below: state.below,
      above: above ?? '',
      chunk,
    }) as R[];
    // Only a scan whose rows are all merged fetches.
    state.rows = rows;
    state.at = 0;
    state.chunk = Math.min(chunk * 4, MAX_CHUNK);
    state.noneAbove = undefined;
    if (rows.length === chunk) {
      state.below = rows.at(-1)!.id;
    } else if (above === undefined) {
      state.done = true;
    } else {
      // Nothing more above `above`: the next fetch reads below it, or from it down when it is a
      // window's lowest id, which may be one of this scan's ('\u0000' sorts first: just above it).
      const bound = given ? above : `${above}\u0000`;
      state.noneAbove = bound;
      if (bound < state.below) state.below = bound;
    }
  };
  for (;;) {
    let newest: R | undefined;
    for (const state of states) {
      const head = state.rows[state.at];
      if (head && (newest === undefined || head.id > newest.id)) newest = head;
    }
    // The scans that could still hold a row newer than `newest` look for it, down to `newest` only.
    const unsure = states.filter(
      (state) =>
        state.at === state.rows.length &&
        !state.done &&
        !(newest !== undefined && state.noneAbove !== undefined && state.noneAbove <= newest.id),
    );
    if (unsure.length > 0) {
      const whole = unsure.filter((state) => state.scan.bounded === false);
      if (whole.length > 0) {
        for (const state of whole) fetch(state, undefined, false);
      } else if (newest !== undefined) {
        for (const state of unsure) fetch(state, newest.id, true);
      } else {
        for (const state of unsure) {
          const floor = windowBelow(state.below, width);
          fetch(state, floor, false);
          // Unbounded, one scan at a time: the others then look down to its rows only.
          if (floor === undefined) break;
        }
        width *= 4;
      }
      continue;
    }
    if (newest === undefined) return;
    yield newest;
    for (const state of states) while (state.rows[state.at]?.id === newest.id) state.at++;
  }
}
