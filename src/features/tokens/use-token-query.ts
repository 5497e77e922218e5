import { useLayoutEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';
import { tokenQueryFromUrl, tokenQueryToParams } from '@contract/token-query';
import type { TokenListQuery } from '@contract/tokens';

/**
 * The token list's filters, sort and page live in the address bar (defaults left out), so that
 * reload, back and a shared link show the same list. Changing a filter goes back to page 1.
 */
export function useTokenQuery(all: boolean) {
  const [params, setParams] = useSearchParams();
  // Updates start from the address bar as it is when they run: a delayed search must not undo a
  // filter chosen meanwhile.
  const latest = useRef(params);
  useLayoutEffect(() => {
    latest.current = params;
  });
  const query: TokenListQuery = { ...tokenQueryFromUrl(params), all };

  const update = (patch: Partial<TokenListQuery>, options: { replace?: boolean } = {}) =>
    setParams(tokenQueryToParams({ ...tokenQueryFromUrl(latest.current), page: 1, ...patch, all: false }), {
      replace: options.replace,
      // Controls show the new value in the same frame (a ticked box never flickers back).
      flushSync: true,
    });
  return { query, update };
}

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
