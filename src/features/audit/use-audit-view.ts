import { useLayoutEffect, useRef } from 'react';
import { useSearchParams } from 'react-router';
import { viewFromUrl, viewToParams, type AuditView } from './view';

/** The Audit Log's view lives only in the address bar: reload, back and a shared link reproduce it. */
export function useAuditView() {
  const [params, setParams] = useSearchParams();
  // Updates start from the address bar as it is when they run, not as it was when they were created.
  const latest = useRef(params);
  useLayoutEffect(() => {
    latest.current = params;
  });
  const view = viewFromUrl(params);
  const update = (patch: Partial<AuditView>, options: { replace?: boolean } = {}) =>
    setParams(viewToParams({ ...viewFromUrl(latest.current), ...patch }), {
      replace: options.replace,
      flushSync: true,
    });
  return { view, update };
}
