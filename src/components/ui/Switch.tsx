import { Switch as RadixSwitch } from 'radix-ui';
import type { ReactNode } from 'react';

/**
 * A labelled on/off switch with an explanation. An unavailable switch looks unavailable — dashed
 * outline, lock, "Unavailable" — never like an available one that is merely off.
 */
export function Switch({
  id,
  label,
  description,
  value,
  onValueChange,
  disabled = false,
  unavailable = false,
  children,
}: {
  id: string;
  label: string;
  description?: ReactNode;
  value: boolean;
  onValueChange: (on: boolean) => void;
  disabled?: boolean;
  /** Disabled by a rule (not by read-only mode): drawn as unavailable. */
  unavailable?: boolean;
  children?: ReactNode;
}) {
  const descriptionId = description ? `${id}-description` : undefined;
  return (
    <div className="flex items-start gap-3">
      <RadixSwitch.Root
        id={id}
        checked={value}
        onCheckedChange={onValueChange}
        disabled={disabled || unavailable}
        aria-describedby={descriptionId}
        className={`relative mt-0.5 inline-flex h-6 w-11 shrink-0 items-center rounded-full border-2 transition-colors ${
          unavailable
            ? 'cursor-not-allowed border-dashed border-slate-400 bg-transparent dark:border-slate-500'
            : 'border-transparent bg-slate-400 data-[state=checked]:bg-blue-700 disabled:cursor-not-allowed disabled:opacity-60 dark:bg-slate-600 dark:data-[state=checked]:bg-blue-500'
        }`}
      >
        {unavailable ? (
          <svg
            aria-hidden="true"
            viewBox="0 0 16 16"
            className="mx-auto size-3.5 fill-slate-500 dark:fill-slate-400"
          >
            <path d="M4 7V5a4 4 0 1 1 8 0v2h.5A1.5 1.5 0 0 1 14 8.5v5a1.5 1.5 0 0 1-1.5 1.5h-9A1.5 1.5 0 0 1 2 13.5v-5A1.5 1.5 0 0 1 3.5 7H4Zm2 0h4V5a2 2 0 1 0-4 0v2Z" />
          </svg>
        ) : (
          <RadixSwitch.Thumb className="block size-5 translate-x-0 rounded-full bg-white shadow transition-transform data-[state=checked]:translate-x-5" />
        )}
      </RadixSwitch.Root>
      <div className="min-w-0 flex-1">
        <label
          htmlFor={id}
          className={`text-sm font-medium ${unavailable ? 'text-slate-600 dark:text-slate-400' : ''}`}
        >
          {label}
          {unavailable && ' '}
          {unavailable && (
            <span className="ml-2 rounded border border-slate-400 px-1.5 py-0.5 text-xs font-normal text-slate-700 dark:text-slate-300">
              Unavailable
            </span>
          )}
        </label>
        {description && (
          <div id={descriptionId} className="mt-0.5 text-sm text-slate-600 dark:text-slate-300">
            {description}
          </div>
        )}
        {children}
      </div>
    </div>
  );
}
