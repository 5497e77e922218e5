import type { ReactNode } from 'react';

type Tone = 'info' | 'warning' | 'danger';

const TONES: Record<Tone, string> = {
  info: 'border-blue-200 bg-blue-50 text-blue-950 dark:border-blue-900 dark:bg-blue-950 dark:text-blue-100',
  warning:
    'border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100',
  danger: 'border-red-300 bg-red-50 text-red-950 dark:border-red-900 dark:bg-red-950 dark:text-red-100',
};

/** A boxed message; `role="alert"` only for what must interrupt (errors). */
export function Notice({
  tone = 'info',
  title,
  children,
  alert = false,
}: {
  tone?: Tone;
  title?: string;
  children?: ReactNode;
  alert?: boolean;
}) {
  return (
    <div role={alert ? 'alert' : undefined} className={`rounded-md border p-4 text-sm ${TONES[tone]}`}>
      {title && <p className="font-semibold">{title}</p>}
      {children && <div className={title ? 'mt-1' : undefined}>{children}</div>}
    </div>
  );
}
