import { useState } from 'react';
import { FieldError, INPUT_CLASS } from '@/components/ui/Field';

/**
 * Chooses groups from the directory: a search box over a list of checkboxes. The groups chosen when
 * the picker opened come first, in a fixed order: ticking or unticking never moves a row under the
 * pointer.
 */
export function GroupPicker({
  id,
  label,
  groups,
  value: chosen,
  onValueChange,
  disabled = false,
  error,
}: {
  id: string;
  label: string;
  groups: readonly string[];
  value: readonly string[];
  onValueChange: (groups: string[]) => void;
  disabled?: boolean;
  error?: string;
}) {
  const [query, setQuery] = useState('');
  const [first] = useState(() => new Set(chosen));
  const q = query.trim().toLowerCase();
  const matching = groups.filter((g) => g.toLowerCase().includes(q));
  const ordered = [...matching.filter((g) => first.has(g)), ...matching.filter((g) => !first.has(g))];

  if (disabled) {
    return (
      <p className="mt-2 text-sm">
        <span className="font-medium">{label}:</span> {chosen.length ? chosen.join(', ') : 'none'}
      </p>
    );
  }
  return (
    <fieldset className="mt-2 max-w-md" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="sr-only">{label}</legend>
      <label htmlFor={`${id}-search`} className="block text-sm font-medium">
        Search groups
      </label>
      <input
        id={`${id}-search`}
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        className={`mt-1 ${INPUT_CLASS}`}
        placeholder="Type to filter groups"
      />
      <p className="mt-1 text-xs text-slate-600 dark:text-slate-300" aria-live="polite">
        {chosen.length === 0 ? 'No group chosen.' : `Chosen: ${chosen.join(', ')}`}
      </p>
      <ul className="mt-2 max-h-48 overflow-y-auto rounded-md border border-slate-300 p-1 dark:border-slate-600">
        {ordered.length === 0 && (
          <li className="p-2 text-sm text-slate-600 dark:text-slate-300">No group matches.</li>
        )}
        {ordered.map((group) => (
          <li key={group}>
            <label className="flex items-center gap-2 rounded px-2 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800">
              <input
                type="checkbox"
                checked={chosen.includes(group)}
                onChange={(e) =>
                  onValueChange(e.target.checked ? [...chosen, group] : chosen.filter((g) => g !== group))
                }
              />
              {group}
            </label>
          </li>
        ))}
      </ul>
      <FieldError id={`${id}-error`} message={error} />
    </fieldset>
  );
}
