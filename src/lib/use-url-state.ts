import { useLayoutEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';
import type { z } from 'zod';
import { readUrlParams, urlParams } from '@contract/url-params';

export type UrlStateUpdate<T> = (patch: Partial<T>, options?: { replace?: boolean }) => void;

/**
 * A list page's state (filters, sort, page, what is open) held in the address bar, read and written
 * through `schema`: reload, back and a shared link show the same page. Each change applies at once
 * (the controls show it in the same frame); typing replaces the history entry (`replace`) instead of
 * adding one per key.
 */
export function useUrlState<S extends z.ZodObject>(schema: S): [z.infer<S>, UrlStateUpdate<z.infer<S>>] {
  const [params, setParams] = useSearchParams();
  // Updates start from the address bar as it is when they run: a change made right after another
  // (a box ticked while a search is being typed) keeps both.
  const latest = useRef(params);
  useLayoutEffect(() => {
    latest.current = params;
  });
  const update: UrlStateUpdate<z.infer<S>> = (patch, options = {}) => {
    const next = urlParams(schema, { ...readUrlParams(schema, latest.current), ...patch });
    latest.current = next;
    setParams(next, { replace: options.replace, flushSync: true });
  };
  return [readUrlParams(schema, params), update];
}
