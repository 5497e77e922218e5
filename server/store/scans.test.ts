import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { mergeDescending, type MergedScan } from './scans';

const id = (n: number) => `ar-${String(n).padStart(9, '0')}`;

/**
 * Records 1…1,000 of kind "common"; records 1 and 500 are also "rare" (a second row each). Every
 * record is of kind "filtered" too, but only 1 and 500 pass that kind's condition, and `examined`
 * counts the rows the condition was checked on (what a scan with other conditions reads).
 */
function table() {
  const db = new Database(':memory:');
  let examined = 0;
  db.function('passes', (n: unknown) => {
    examined++;
    return n === 1 || n === 500 ? 1 : 0;
  });
  db.exec('CREATE TABLE t (id TEXT NOT NULL, kind TEXT NOT NULL, n INTEGER, PRIMARY KEY (kind, id))');
  const insert = db.prepare('INSERT INTO t (id, kind, n) VALUES (?, ?, ?)');
  for (let n = 1; n <= 1000; n++) {
    insert.run(id(n), 'common', n);
    insert.run(id(n), 'filtered', n);
  }
  for (const n of [1, 500]) insert.run(id(n), 'rare', n);
  return { db, examined: () => examined };
}

/** A scan of one kind (the "filtered" one with its condition), and the rows it handed to the merge. */
function scanOf(db: Database.Database, kind: string): MergedScan & { rowsRead: () => number } {
  const statement = db.prepare<unknown[], unknown>(
    `SELECT id FROM t WHERE kind = @kind AND id < @below AND id >= @above || char(0)
       ${kind === 'filtered' ? 'AND passes(n)' : ''} ORDER BY id DESC LIMIT @chunk`,
  );
  let read = 0;
  const counted = Object.create(statement) as typeof statement;
  counted.all = (...args: unknown[]) => {
    const rows = statement.all(...args);
    read += rows.length;
    return rows;
  };
  return { statement: counted, params: { kind }, rowsRead: () => read };
}

/** The id `width` records below `id`, as the audit planner gives the merge its windows. */
const windowBelow = (below: string, width: number) => {
  const match = /^ar-(\d{9})/.exec(below);
  const seqsBefore = match ? Number(match[1]) + (below.length > 12 ? 1 : 0) : 1001;
  return seqsBefore - width > 0 ? id(seqsBefore - width) : undefined;
};

const take = (rows: Iterator<{ id: string }>, count: number): (string | undefined)[] =>
  Array.from({ length: count }, () => {
    const next = rows.next();
    return next.done ? undefined : next.value.id;
  });

describe('mergeDescending', () => {
  it('gives every row of the scans once, newest first', () => {
    const { db } = table();
    const scans = [scanOf(db, 'common'), scanOf(db, 'rare'), scanOf(db, 'filtered')];
    const merged = [...mergeDescending<{ id: string }>(scans, '\uffff', 3, windowBelow)];
    expect(merged.map((row) => row.id)).toEqual(Array.from({ length: 1000 }, (_, i) => id(1000 - i)));
  });

  it('reads the other scans only down to the rows it gives out (the fullest scan first)', () => {
    const { db, examined } = table();
    const rare = scanOf(db, 'rare');
    const filtered = scanOf(db, 'filtered');
    const rows = mergeDescending<{ id: string }>(
      [scanOf(db, 'common'), rare, filtered],
      '\uffff',
      11,
      windowBelow,
    );
    expect(take(rows, 10)).toEqual(Array.from({ length: 10 }, (_, i) => id(1000 - i)));
    // Their rows (500 and 1) are older than the page. Read ahead, the filtered scan would check the
    // condition on 500 rows to find its first: on a large log, the walk of a whole index.
    expect(rare.rowsRead()).toBe(0);
    expect(filtered.rowsRead()).toBe(0);
    // At most the first window (four chunks' worth of ids), not the 500 rows down to its first.
    expect(examined()).toBeLessThanOrEqual(44);
  });

  it('gives a row that two scans hold once, at its place', () => {
    const { db } = table();
    const scans = [scanOf(db, 'common'), scanOf(db, 'rare'), scanOf(db, 'filtered')];
    const rows = mergeDescending<{ id: string }>(scans, id(502), 2, windowBelow);
    expect(take(rows, 4)).toEqual([id(501), id(500), id(499), id(498)]);
  });

  it('gives the union of any scans, newest first, each id once, from any start and chunk', () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let round = 0; round < 60; round++) {
      const db = new Database(':memory:');
      db.exec('CREATE TABLE t (id TEXT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (kind, id))');
      const insert = db.prepare('INSERT INTO t (id, kind) VALUES (?, ?)');
      const kinds = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, k) => `k${k}`);
      const all = new Set<number>();
      for (const kind of kinds) {
        const density = random() ** 3;
        for (let n = 1; n <= 300; n++) {
          if (random() < density) {
            insert.run(id(n), kind);
            all.add(n);
          }
        }
      }
      const start = 1 + Math.floor(random() * 310);
      const chunk = 1 + Math.floor(random() * 7);
      // Some read whole, as the planner reads a scan of few entries.
      const scans = kinds.map((kind) => ({ ...scanOf(db, kind), bounded: random() < 0.7 }));
      const merged = [...mergeDescending<{ id: string }>(scans, id(start), chunk, windowBelow)];
      const expected = [...all]
        .filter((n) => n < start)
        .sort((a, b) => b - a)
        .map(id);
      expect(
        merged.map((row) => row.id),
        `round ${round}`,
      ).toEqual(expected);
    }
  });

  it('merges nothing into nothing', () => {
    expect([...mergeDescending([], '\uffff', 10)]).toEqual([]);
  });
});
