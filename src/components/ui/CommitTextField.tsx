import { useState } from 'react';
import { FieldError, INPUT_CLASS } from './Field';

/**
 * A search-style filter that applies on Enter or when leaving the field: one history entry per change
 * when the value lives in the address bar. It follows the address bar when that changes (back, a chip
 * removed).
 */
export function CommitTextField({
  id,
  label,
  value,
  placeholder,
  onCommit,
  validate,
}: {
  id: string;
  label: string;
  value: string | undefined;
  placeholder: string;
  onCommit: (value: string | undefined) => void;
  /** A message for a value that must not be applied, or null. */
  validate?: (value: string) => string | null;
}) {
  const [text, setText] = useState(value ?? '');
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setText(value ?? '');
  }
  const error = text.trim() && validate ? validate(text.trim()) : null;
  const commit = () => {
    if (error) return;
    const next = text.trim() || undefined;
    if (next !== value) onCommit(next);
  };
  return (
    <div className="min-w-40 flex-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      <input
        id={id}
        type="search"
        className={`mt-1 ${INPUT_CLASS}`}
        placeholder={placeholder}
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      <FieldError id={`${id}-error`} message={error ?? undefined} />
    </div>
  );
}
