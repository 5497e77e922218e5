import { useEffect, useState } from 'react';
import { formatRemaining } from './remaining';

/**
 * "Reverts to INFO in 14:59", ticking; tells its owner once the time has come (the backend applies the
 * revert).
 */
export function Countdown({ until, to, onDone }: { until: string; to: string; onDone: () => void }) {
  const [now, setNow] = useState(() => Date.now());
  const left = Date.parse(until) - now;
  useEffect(() => {
    if (left <= 0) {
      onDone();
      return;
    }
    const timer = setTimeout(() => setNow(Date.now()), Math.min(1000, left));
    return () => clearTimeout(timer);
  }, [left, onDone]);
  return (
    <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-950 tabular-nums dark:bg-amber-950 dark:text-amber-100">
      {left > 0 ? `Reverts to ${to} in ${formatRemaining(left)}` : `Reverting to ${to}…`}
    </span>
  );
}
