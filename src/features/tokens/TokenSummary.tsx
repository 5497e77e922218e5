import type { ReactNode } from 'react';
import { SCOPE_LABELS, type Token } from '@contract/tokens';
import { formatDateTime } from '@/lib/time';

const ROWS = {
  description: ['Description', (t) => t.description],
  owner: ['Owner', (t) => t.ownerUsername],
  scope: ['Scope', (t) => SCOPE_LABELS[t.scope]],
  created: ['Created', (t) => formatDateTime(t.createdAt)],
  expires: ['Expires', (t) => (t.expiresAt ? formatDateTime(t.expiresAt) : 'Never')],
  lastUsed: [
    'Last used',
    (t) => (t.lastUsedAt ? `${formatDateTime(t.lastUsedAt)} from ${t.lastUsedIp ?? '?'}` : 'Never'),
  ],
  ipRestrictions: [
    'IP restrictions',
    (t) => (t.ipRestrictions.length ? t.ipRestrictions.join(', ') : 'None: any address'),
  ],
  id: ['Token ID', (t) => <span className="font-mono">{t.id}</span>],
} satisfies Record<string, [string, (token: Token) => ReactNode]>;

/** A token's facts as term → value pairs: what a dialog about the token shows of it. */
export function TokenSummary({
  token,
  rows,
  boxed = false,
}: {
  token: Token;
  rows: readonly (keyof typeof ROWS)[];
  /** On a shaded box (a confirmation quoting the token). */
  boxed?: boolean;
}) {
  return (
    <dl
      className={`grid grid-cols-[max-content_1fr] gap-x-4 text-sm ${
        boxed ? 'mt-2 gap-y-0.5 rounded-md bg-slate-100 p-3 dark:bg-slate-800' : 'gap-y-1'
      }`}
    >
      {rows.map((row) => {
        const [term, value] = ROWS[row];
        return [
          <dt key={`${row}-term`} className="font-medium">
            {term}
          </dt>,
          <dd key={row}>{value(token)}</dd>,
        ];
      })}
    </dl>
  );
}
