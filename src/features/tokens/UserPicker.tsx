import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { DirectoryUser } from '@contract/tokens';
import { TextField } from '@/components/ui/Field';
import { usersQueryOptions } from './api';
import { LINK_CLASS } from '@/components/ui/TextLink';

/** Finds a user by name: a search box and the matching users as a list of choices. */
export function UserPicker({
  label,
  value,
  onChange,
  error,
  autoFocus,
}: {
  label: string;
  value: DirectoryUser | null;
  onChange: (user: DirectoryUser | null) => void;
  error?: string;
  autoFocus?: boolean;
}) {
  const id = useId();
  const [query, setQuery] = useState('');
  const q = query.trim();
  const users = useQuery({ ...usersQueryOptions(q), enabled: q.length > 0 && value === null });

  if (value) {
    return (
      <div>
        <span className="block text-sm font-medium">{label}</span>
        <p className="mt-1 flex items-center gap-2 text-sm">
          <span>
            {value.displayName} ({value.username})
          </span>
          <button type="button" className={LINK_CLASS} onClick={() => onChange(null)}>
            Change {label.toLowerCase()}
          </button>
        </p>
      </div>
    );
  }
  return (
    <div>
      <TextField
        id={id}
        label={label}
        type="search"
        value={query}
        placeholder="Search by username or name"
        maxLength={255}
        autoFocus={autoFocus}
        error={error}
        onChange={(e) => setQuery(e.target.value)}
      />
      {q && (
        <ul
          aria-label={`Users matching ${q}`}
          className="mt-1 max-h-40 overflow-y-auto rounded-md border border-slate-300 dark:border-slate-600"
        >
          {users.isPending && <li className="p-2 text-sm">Searching…</li>}
          {users.isError && (
            <li role="alert" className="p-2 text-sm text-red-700 dark:text-red-300">
              The directory could not be searched: {users.error.message}
            </li>
          )}
          {users.data?.length === 0 && <li className="p-2 text-sm">No user matches “{q}”.</li>}
          {users.data?.map((user) => (
            <li key={user.key}>
              <button
                type="button"
                className="block w-full px-2 py-1 text-left text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
                onClick={() => {
                  onChange(user);
                  setQuery('');
                }}
              >
                {user.displayName} ({user.username})
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
