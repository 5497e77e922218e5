import { useState } from 'react';
import { ipEntryError } from '@contract/ip';
import { Button } from './ui/Button';
import { FieldError, INPUT_CLASS } from './ui/Field';

/** The entries of a typed or pasted text: separated by commas, semicolons, spaces or line breaks. */
function ipEntriesOf(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

/** Why `typed` cannot be added to `entries` (its first bad entry), or null. */
function typedProblem(typed: readonly string[], entries: readonly string[]): string | null {
  const seen = new Set(entries);
  for (const entry of typed) {
    if (seen.has(entry)) return `${entry} is already in the list.`;
    const error = ipEntryError(entry);
    if (error) return error;
    seen.add(entry);
  }
  return null;
}

/**
 * A list of IP addresses and CIDR ranges (IPv4 and IPv6), validated as typed with the contract's rule.
 * Several can be typed or pasted at once (a pasted list keeps its entries apart: a text input would
 * drop its line breaks). Used by the global IP restrictions and by each token's.
 */
export function IpListEditor({
  id,
  label,
  hint,
  entries,
  onChange,
  disabled = false,
  errors = {},
  error,
  onPendingChange,
}: {
  id: string;
  label: string;
  hint: string;
  entries: readonly string[];
  onChange: (entries: string[]) => void;
  disabled?: boolean;
  /** Index → message from the backend or the draft's validation. */
  errors?: Record<string, string>;
  /** A message about the list as a whole (e.g. an address typed but not added). */
  error?: string;
  /** Tells the form what is typed but not added yet, so that it is never silently dropped. */
  onPendingChange?: (text: string) => void;
}) {
  const [text, setText] = useState('');
  const typed = ipEntriesOf(text);
  const typedError = typedProblem(typed, entries);

  const type = (next: string) => {
    setText(next);
    onPendingChange?.(ipEntriesOf(next).join(', '));
  };
  const add = () => {
    if (typed.length === 0 || typedError) return;
    onChange([...entries, ...typed]);
    type('');
  };

  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <p id={`${id}-hint`} className="mt-0.5 text-sm text-slate-600 dark:text-slate-300">
        {hint}
        {!disabled && ' Add several at once by separating them with commas, spaces or line breaks.'}
      </p>
      {entries.length > 0 && (
        <ul aria-label={label} className="mt-2 flex flex-wrap gap-2">
          {entries.map((entry, index) => (
            <li key={entry}>
              <span
                className={`inline-flex items-center gap-1 rounded-md border py-0.5 pr-1 pl-2 font-mono text-sm ${
                  errors[String(index)] ? 'border-red-600' : 'border-slate-300 dark:border-slate-600'
                }`}
              >
                {entry}
                {!disabled && (
                  <button
                    type="button"
                    aria-label={`Remove ${entry}`}
                    className="rounded px-1 text-slate-600 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-700"
                    onClick={() => onChange(entries.filter((e) => e !== entry))}
                  >
                    ✕
                  </button>
                )}
              </span>
              <FieldError id={`${id}-${index}-error`} message={errors[String(index)]} />
            </li>
          ))}
        </ul>
      )}
      {!disabled && (
        <div className="mt-2 flex max-w-md gap-2">
          <input
            id={id}
            value={text}
            placeholder="e.g. 203.0.113.7, 10.20.0.0/16 or 2001:db8::/32"
            aria-invalid={typedError || error ? true : undefined}
            aria-describedby={`${id}-hint${typedError || error ? ` ${id}-error` : ''}`}
            className={`${INPUT_CLASS} font-mono`}
            onChange={(e) => type(e.target.value)}
            onPaste={(e) => {
              // A list pasted one entry per line: keep the entries apart (the input would join them).
              const pasted = e.clipboardData.getData('text');
              if (!/[\r\n]/.test(pasted)) return;
              e.preventDefault();
              const input = e.currentTarget;
              const before = text.slice(0, input.selectionStart ?? text.length);
              const after = text.slice(input.selectionEnd ?? text.length);
              type(ipEntriesOf(`${before} ${pasted} ${after}`).join(', '));
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
          <Button onClick={add} disabled={typed.length === 0 || typedError !== null}>
            Add
          </Button>
        </div>
      )}
      <FieldError id={`${id}-error`} message={typedError ?? error} />
    </div>
  );
}
