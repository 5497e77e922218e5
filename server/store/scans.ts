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

/** Newest-first streams merged into one newest-first stream, each id once. */
export function* mergeDescending<R extends { id: string }>(streams: Iterator<R>[]): Generator<R> {
  const heads = streams.map((stream) => stream.next());
  for (;;) {
    let best: R | undefined;
    for (const head of heads)
      if (!head.done && (best === undefined || head.value.id > best.id)) best = head.value;
    if (best === undefined) return;
    yield best;
    heads.forEach((head, i) => {
      let current = head;
      while (!current.done && current.value.id === best.id) current = streams[i]!.next();
      heads[i] = current;
    });
  }
}
