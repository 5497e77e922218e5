import { useSearchParams } from 'react-router';
import { tokenQueryFromUrl, tokenQueryToParams } from '@contract/token-query';
import type { TokenListQuery } from '@contract/tokens';

/**
 * The token list's filters, sort and page live in the address bar (defaults left out), so that
 * reload, back and a shared link show the same list. Changing a filter goes back to page 1.
 */
export function useTokenQuery(all: boolean) {
  const [params, setParams] = useSearchParams();
  const query: TokenListQuery = { ...tokenQueryFromUrl(params), all };

  const update = (patch: Partial<TokenListQuery>, options: { replace?: boolean } = {}) => {
    const next = { ...query, page: 1, ...patch, all: false };
    setParams(tokenQueryToParams(next), { replace: options.replace });
  };
  return { query, update };
}
