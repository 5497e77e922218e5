import { useRef, useState } from 'react';
import { TextField } from './Field';

const trimmed = (text: string) => text.trim();

/**
 * A list's text filter, the one behaviour of every list page: each keystroke applies it, so what the
 * field shows is what is applied and the address bar always says it. The first change of a visit to
 * the field adds a history entry and the next ones replace it (`replace`): Back returns to the list
 * before the typing, not one key at a time. A text the filter cannot take
 * (`validate`) is marked with its message and applies nothing. The field follows the value when it
 * changes elsewhere (back, a chip removed, "Clear filters").
 */
export function FilterField({
  id,
  label,
  value,
  placeholder,
  onChange,
  validate,
  normalise = trimmed,
  className = 'min-w-40 flex-1',
}: {
  id: string;
  label: string;
  value: string | undefined;
  placeholder: string;
  /** The value to apply (undefined: no filter); `replace`: the history entry of this typing. */
  onChange: (value: string | undefined, options: { replace: boolean }) => void;
  /** A message for a text that must not be applied, or null. */
  validate?: (value: string) => string | null;
  /** The value a text means (default: trimmed), e.g. a list typed with spaces after its commas. */
  normalise?: (text: string) => string;
  className?: string;
}) {
  const [text, setText] = useState(value ?? '');
  /** Whether this visit to the field has already applied a change (its history entry exists). */
  const typing = useRef(false);
  const meaning = (t: string) => normalise(t) || undefined;
  // The value changed elsewhere: show it, unless the text already means it (a trailing space stays).
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    if (meaning(text) !== value) setText(value ?? '');
  }
  const problem = (t: string) => {
    const next = meaning(t);
    return next && validate ? validate(next) : null;
  };
  const error = problem(text);
  return (
    <TextField
      id={id}
      label={label}
      type="search"
      className={className}
      placeholder={placeholder}
      value={text}
      error={error ?? undefined}
      onFocus={() => (typing.current = false)}
      onChange={(e) => {
        const next = e.target.value;
        setText(next);
        if (problem(next) || meaning(next) === value) return;
        onChange(meaning(next), { replace: typing.current });
        typing.current = true;
      }}
    />
  );
}
