import type { TokenListQuery } from '@contract/tokens';

/** Whether the list is narrowed by any filter (not sort or page): tells an empty list from a filtered one. */
export function hasTokenFilters(query: TokenListQuery): boolean {
  return Boolean(
    query.q ||
    query.scope ||
    query.status.length ||
    query.owner.length ||
    query.neverUsed ||
    query.createdFrom ||
    query.createdTo ||
    query.lastUsedFrom ||
    query.lastUsedTo ||
    query.expiresFrom ||
    query.expiresTo,
  );
}
