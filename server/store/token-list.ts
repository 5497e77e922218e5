import { NEVER_SORTS_AS } from '../../contract/tokens';
import type { TokenListFilter } from '../../backend/store/port';
import type { SqlDialect, SqlParams } from './sql-dialect';

const DAY_MS = 86_400_000;

/** The column of each token sort field (also the whitelist that keeps the ORDER BY safe). */
const TOKEN_SORT_COLUMNS: Record<TokenListFilter['sort'], string> = {
  createdAt: 'created_ms',
  expiresAt: 'expires_ms',
  lastUsedAt: 'last_used_ms',
};

/**
 * The token list's filters and order as SQL over the `tokens` table (named parameters in `params`),
 * meaning what the memory adapter's `filterTokens` and `sortTokens` mean (the store contract suite
 * checks every filter on both).
 */
export function tokenListSql(
  filter: TokenListFilter,
  dialect: SqlDialect,
): {
  where: string;
  orderBy: string;
  params: SqlParams;
} {
  const where: string[] = [];
  const params: SqlParams = {};
  if (filter.ownerKey !== undefined) {
    where.push('owner_key = @ownerKey');
    params.ownerKey = filter.ownerKey;
  }
  if (filter.owner.length > 0) where.push(dialect.oneOf('owner_username', filter.owner, params, 'owner'));
  if (filter.scope) {
    where.push('scope = @scope');
    params.scope = filter.scope;
  }
  if (filter.neverUsed) where.push('last_used_at IS NULL');
  if (filter.q) where.push(dialect.descriptionContains(filter.q.toLowerCase(), params));
  // A range on a date leaves out the tokens without that date (never used, never expires).
  const range = (column: string, from: string | undefined, to: string | undefined) => {
    if (from === undefined && to === undefined) return;
    where.push(`${column} IS NOT NULL`);
    if (from !== undefined) {
      where.push(`${column} >= @${column}_from`);
      params[`${column}_from`] = Date.parse(from);
    }
    if (to !== undefined) {
      where.push(`${column} <= @${column}_to`);
      params[`${column}_to`] = Date.parse(to);
    }
  };
  range('created_ms', filter.createdFrom, filter.createdTo);
  range('last_used_ms', filter.lastUsedFrom, filter.lastUsedTo);
  range('expires_ms', filter.expiresFrom, filter.expiresTo);
  if (filter.status.length > 0) {
    // matchesStatusFilter in SQL: expired from the expiry instant on; expiring within the warning
    // window; any ticked value matches.
    const statuses = new Set(filter.status);
    const any: string[] = [];
    if (statuses.has('noExpiry')) any.push('expires_ms IS NULL');
    if (statuses.has('expired')) any.push('(expires_ms IS NOT NULL AND expires_ms <= @now)');
    if (statuses.has('expiring')) any.push('(expires_ms > @now AND expires_ms <= @warnUntil)');
    if (statuses.has('active')) any.push('(expires_ms IS NULL OR expires_ms > @warnUntil)');
    where.push(`(${any.join(' OR ')})`);
    params.now = filter.now.getTime();
    params.warnUntil = filter.now.getTime() + filter.expiryWarningDays * DAY_MS;
  }
  const column = TOKEN_SORT_COLUMNS[filter.sort];
  if (!column) throw new Error(`Unknown sort field ${String(filter.sort)}`);
  const direction = filter.order === 'asc' ? 'ASC' : 'DESC';
  // "Never" (NULL) where NEVER_SORTS_AS puts it: first when it sorts as the latest and the order is
  // descending, or as the earliest and the order is ascending. The id as tiebreak in the same direction.
  const neverFirst = (NEVER_SORTS_AS[filter.sort] === 'latest') === (filter.order === 'desc');
  return {
    where: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '',
    orderBy: `${column} ${direction} NULLS ${neverFirst ? 'FIRST' : 'LAST'}, id ${direction}`,
    params,
  };
}
