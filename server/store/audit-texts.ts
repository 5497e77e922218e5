import type Database from 'better-sqlite3';
import type { AuditRecord } from '../../contract/audit';
import { auditSearchTexts } from '../../contract/audit-query';
import { auditSeq } from './rows';
import type { Statement } from './scans';

/** Text ids kept in memory by a writer before it starts over (a few hundred are usual). */
export const TEXT_CACHE_SIZE = 50_000;

/**
 * A free text found in more distinct texts than this is not read along their pairs: it is common, and
 * the other indexes or the id index find its records sooner (both stores' planners).
 */
export const MAX_TEXT_SCANS = 32;

/**
 * The distinct texts of a record that the free-text filter searches (`auditSearchTexts`),
 * lower-cased as the filter compares them, without the empty one: what both stores index.
 */
export function recordTexts(record: AuditRecord): Set<string> {
  const texts = new Set(auditSearchTexts(record).map((text) => (text ?? '').toLowerCase()));
  texts.delete('');
  return texts;
}

/**
 * Every piece of one or two characters (code points, as SQLite's `instr` counts) of a text: a query
 * that short has no trigram, and is looked up among these instead (SQLite migration 8).
 */
export function shortPieces(text: string): Set<string> {
  const chars = [...text];
  const pieces = new Set<string>(chars);
  for (let i = 1; i < chars.length; i++) pieces.add(chars[i - 1]! + chars[i]!);
  return pieces;
}

/**
 * SQLite's free-text index over the distinct texts of the audit log (migration 7): the texts that
 * the free-text filter searches (`auditSearchTexts`) repeat heavily — events, endpoints, token
 * descriptions, usernames: a few hundred distinct ones in a million records — so each distinct
 * lower-cased text is stored once (`audit_texts`) with a trigram index (`audit_texts_search`), and a
 * record points to its texts by (sequence number, text id) pairs (`audit_record_texts`). A query is
 * first answered over the distinct texts (which hold it: `instr`, exact), then read along the pairs
 * of those texts. Writing a record costs a few pairs; a text's trigrams are written once. A query of
 * one or two characters is looked up among each text's pieces that short (`audit_text_pieces`,
 * migration 8): as many reads as texts that hold it, however many texts the log has.
 */
export class AuditTextIndex {
  private readonly s: Record<
    'textId' | 'insertText' | 'insertTrigrams' | 'insertPair' | 'orphans' | 'deleteTrigrams',
    Statement
  >;
  private readonly matchPhrase: Statement;
  private readonly matchShort: Statement;
  /** Writes a text's short pieces; absent while migration 7 fills the texts (8 adds the pieces). */
  private readonly insertPieces?: (id: number, text: string) => void;
  /** Text → id, for the texts this connection has written or read (forgotten after a rollback). */
  private readonly ids = new Map<string, number>();

  constructor(db: Database.Database) {
    const p = (sql: string) => db.prepare<unknown[], unknown>(sql);
    this.s = {
      textId: p('SELECT id FROM audit_texts WHERE text = ?').pluck(),
      insertText: p('INSERT INTO audit_texts (text) VALUES (?)'),
      insertTrigrams: p('INSERT INTO audit_texts_search (rowid, text) VALUES (?, ?)'),
      insertPair: p('INSERT OR IGNORE INTO audit_record_texts (seq, text_id) VALUES (?, ?)'),
      orphans: p(
        `DELETE FROM audit_texts WHERE NOT EXISTS
           (SELECT 1 FROM audit_record_texts WHERE text_id = audit_texts.id) RETURNING id`,
      ).pluck(),
      deleteTrigrams: p('DELETE FROM audit_texts_search WHERE rowid = ?'),
    };
    // Trigrams fold case further than JavaScript ('ſ' is 's' to them): `instr` keeps the exact answer.
    this.matchPhrase = p(
      `SELECT t.id FROM audit_texts_search AS s CROSS JOIN audit_texts AS t ON t.id = s.rowid
       WHERE s.audit_texts_search MATCH @phrase AND instr(t.text, @q) > 0 LIMIT @limit`,
    ).pluck();
    const hasPieces = db
      .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'audit_text_pieces'")
      .get();
    // One or two characters have no trigram: the texts that have the query as one of their pieces.
    this.matchShort = hasPieces
      ? p('SELECT text_id FROM audit_text_pieces WHERE piece = @q LIMIT @limit').pluck()
      : p('SELECT id FROM audit_texts WHERE instr(text, @q) > 0 LIMIT @limit').pluck();
    if (hasPieces) {
      const insertPiece = p('INSERT OR IGNORE INTO audit_text_pieces (piece, text_id) VALUES (?, ?)');
      this.insertPieces = (id, text) => {
        for (const piece of shortPieces(text)) insertPiece.run(piece, id);
      };
    }
  }

  /** Indexes a record's texts (in the caller's transaction; call `forget` if it is rolled back). */
  add(record: AuditRecord): void {
    const seq = auditSeq(record.id);
    for (const text of recordTexts(record)) this.s.insertPair.run(seq, this.idOf(text));
  }

  private idOf(text: string): number {
    let id = this.ids.get(text) ?? (this.s.textId.get(text) as number | undefined);
    if (id === undefined) {
      id = Number(this.s.insertText.run(text).lastInsertRowid);
      this.s.insertTrigrams.run(id, text);
      this.insertPieces?.(id, text);
    }
    if (this.ids.size >= TEXT_CACHE_SIZE) this.ids.clear();
    this.ids.set(text, id);
    return id;
  }

  /** Forgets the ids it knows (after a rolled-back transaction, which may have made some of them). */
  forget(): void {
    this.ids.clear();
  }

  /**
   * The ids of the texts that contain `q` (lower-cased), at most `limit` of them; null when there
   * are more.
   */
  textsContaining(q: string, limit: number): number[] | null {
    const ids = (
      [...q].length >= 3
        ? this.matchPhrase.all({ phrase: `"${q.replaceAll('"', '""')}"`, q, limit: limit + 1 })
        : this.matchShort.all({ q, limit: limit + 1 })
    ) as number[];
    return ids.length > limit ? null : ids;
  }

  /** Deletes the texts no record has any more (after retention), with their trigrams. */
  deleteOrphans(): void {
    for (const id of this.s.orphans.all() as number[]) this.s.deleteTrigrams.run(id);
    this.forget();
  }
}
