import type { InputHTMLAttributes, ReactNode } from 'react';
import { CARD_CLASS } from './Card';

export const INPUT_CLASS =
  'block w-full rounded-md border border-slate-400 bg-white px-3 py-1.5 text-sm text-slate-900 disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-600 aria-[invalid=true]:border-red-600 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:disabled:bg-slate-800 dark:disabled:text-slate-400';

/** The message next to a field that holds a bad value. */
export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-700 dark:text-red-400">
      {message}
    </p>
  );
}

/** A labelled input with a hint and, when its value is bad, the message that says why. */
export function TextField({
  id,
  label,
  hint,
  error,
  className = '',
  inputClassName = '',
  onValueChange,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  /** Extra classes of the input itself (`className` is the field's). */
  inputClassName?: string;
  /** The new text on every change (what the field-binding helper binds; `onChange` still works). */
  onValueChange?: (value: string) => void;
}) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="mt-0.5 text-sm text-slate-600 dark:text-slate-300">
          {hint}
        </p>
      )}
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        className={`mt-1 ${INPUT_CLASS} ${inputClassName}`}
        {...input}
        onChange={(event) => {
          input.onChange?.(event);
          onValueChange?.(event.target.value);
        }}
      />
      <FieldError id={`${id}-error`} message={error} />
    </div>
  );
}

/** Whole-number input whose draft value is NaN while empty (so that validation can say so). */
export function NumberField({
  value,
  onValueChange,
  ...props
}: Omit<Parameters<typeof TextField>[0], 'value' | 'onChange' | 'onValueChange' | 'type'> & {
  value: number;
  onValueChange: (value: number) => void;
}) {
  return (
    <TextField
      {...props}
      type="number"
      inputMode="numeric"
      value={Number.isNaN(value) ? '' : value}
      onChange={(e) => onValueChange(e.target.value === '' ? Number.NaN : Number(e.target.value))}
    />
  );
}

export function Section({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className={`${CARD_CLASS} p-5`}>
      <h2 className="text-lg font-semibold">{title}</h2>
      {description && <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">{description}</p>}
      <div className="mt-4 space-y-5">{children}</div>
    </section>
  );
}
