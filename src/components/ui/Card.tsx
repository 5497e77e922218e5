import type { HTMLAttributes } from 'react';

/** The boxed surface of the console's panels, lists and filters, in both themes. */
export const CARD_CLASS =
  'rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900';

/** A panel: the card surface; padding and layout come with `className`. */
export function Card({ className = '', ...props }: HTMLAttributes<HTMLDivElement>) {
  return <div className={`${CARD_CLASS} ${className}`} {...props} />;
}
