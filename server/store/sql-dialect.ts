import type { AuditFilter } from '../../contract/audit-query';

/** Named parameters of a query built at run time (`@name` in its text). */
export type SqlParams = Record<string, unknown>;

/**
 * What differs between the SQL of the two adapters, for the query builders they share (the token list,
 * the audit filter): each function returns a condition and binds what it needs in `params`. Every
 * condition means what the memory adapter's rule means (the store contract suite checks both).
 */
export interface SqlDialect {
  /** `column` is one of `values`. */
  oneOf(column: string, values: readonly string[], params: SqlParams, name: string): string;
  /** The token's description, lower-cased as JavaScript does it, contains `q` (lower-cased). */
  descriptionContains(q: string, params: SqlParams): string;
  /** An affected object of the audit record has this id or name. */
  auditObjectIs(object: string, params: SqlParams): string;
  /** The client or proxy address of the audit record is the filter's address or inside its range. */
  auditIpIn(ip: string, params: SqlParams): string;
  /**
   * The record's search texts (lower-cased, joined by line breaks) contain `q` (lower-cased): exact for
   * a `q` without a line break, more candidates than matches otherwise.
   */
  auditTextContains(q: string, params: SqlParams): string;
}

/** The audit filter as SQL conditions (see `auditConditions`). */
export interface AuditConditions {
  /**
   * By the index that could drive a scan (SQLite's planner chooses one; PostgreSQL's planner gets them
   * all); `rest`: checked on every row (the time range, and the free text).
   */
  where: Record<'summary' | 'author' | 'category' | 'object' | 'ip' | 'rest', string[]>;
  params: SqlParams;
  /** Whether the conditions alone decide (else every candidate needs `compileAuditFilter`). */
  exact: boolean;
  /** The earliest instant that can match: `from`, or the retention floor. */
  floor?: string;
  to?: string;
  /** The author, lower-cased. */
  author?: string;
}

/**
 * The audit filter as SQL conditions over the `audit_records` table, grouped by the index that could
 * drive a scan. Every condition means exactly what `compileAuditFilter` means (the author columns are
 * lower-cased as JavaScript does it), except the free text when it spans lines: `exact` is false then.
 * `purgedBefore` is the retention floor: records before it are gone.
 */
export function auditConditions(
  filter: AuditFilter,
  purgedBefore: string | undefined,
  dialect: SqlDialect,
): AuditConditions {
  const conditions: AuditConditions = {
    where: { summary: [], author: [], category: [], object: [], ip: [], rest: [] },
    params: {},
    exact: true,
  };
  const { where, params } = conditions;
  const from = filter.from ? new Date(filter.from).toISOString() : undefined;
  conditions.floor = [from, purgedBefore].filter(Boolean).sort().at(-1);
  if (conditions.floor !== undefined) {
    where.rest.push('timestamp >= @floor');
    params.floor = conditions.floor;
  }
  if (filter.to) {
    conditions.to = new Date(filter.to).toISOString();
    where.rest.push('timestamp <= @to');
    params.to = conditions.to;
  }
  if (filter.category) {
    where.category.push('category = @category');
    params.category = filter.category;
  }
  if (filter.summary.length > 0) {
    where.summary.push(dialect.oneOf('summary', filter.summary, params, 'summary'));
  }
  if (filter.author) {
    conditions.author = filter.author.toLowerCase();
    where.author.push('(author_username_lc = @author OR author_display_name_lc = @author)');
    params.author = conditions.author;
  }
  if (filter.username) {
    where.rest.push('details_username = @username');
    params.username = filter.username;
  }
  if (filter.object) where.object.push(dialect.auditObjectIs(filter.object, params));
  if (filter.ip) where.ip.push(dialect.auditIpIn(filter.ip, params));
  if (filter.q) {
    const q = filter.q.toLowerCase();
    where.rest.push(dialect.auditTextContains(q, params));
    if (q.includes('\n')) conditions.exact = false;
  }
  return conditions;
}

/**
 * The log entry filter as SQL conditions over `log_entries`, but for its free text, which is searched
 * in JavaScript (`matchesLogEntry`: the stored JSON escapes some characters).
 */
export function logEntryConditions(
  filter: { level: readonly string[]; logger?: string; node?: string },
  dialect: SqlDialect,
): { where: string[]; params: SqlParams } {
  const where: string[] = [];
  const params: SqlParams = {};
  if (filter.level.length > 0) where.push(dialect.oneOf('level', filter.level, params, 'level'));
  if (filter.logger) {
    // The logger or a logger below it: names that start with "<logger>." sort from "<logger>." to
    // just before "<logger>/" ('/' follows '.').
    where.push('(logger = @logger OR (logger >= @loggerFrom AND logger < @loggerTo))');
    params.logger = filter.logger;
    params.loggerFrom = `${filter.logger}.`;
    params.loggerTo = `${filter.logger}/`;
  }
  if (filter.node) {
    where.push('node = @node');
    params.node = filter.node;
  }
  return { where, params };
}
