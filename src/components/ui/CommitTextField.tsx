import { useState } from 'react';
import { TextField } from './Field';

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
    <TextField
      id={id}
      label={label}
      type="search"
      className="min-w-40 flex-1"
      placeholder={placeholder}
      value={text}
      error={error ?? undefined}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
    />
  );
}
