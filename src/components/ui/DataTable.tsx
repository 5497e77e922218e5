import type { ThHTMLAttributes } from 'react';

/** The header row of a data table. */
export const TABLE_HEAD_CLASS =
  'border-b border-slate-200 bg-slate-50 text-slate-700 dark:border-slate-800 dark:bg-slate-800 dark:text-slate-200';

/** A column header of a data table (`scope="col"`); extra classes with `className`. */
export function HeaderCell({ className = '', ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th scope="col" className={`px-3 py-2 ${className}`} {...props} />;
}
