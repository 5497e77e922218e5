import { Tabs } from 'radix-ui';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';

const TRIGGER =
  'border-b-2 border-transparent px-3 py-2 text-sm font-medium whitespace-nowrap text-slate-700 hover:text-slate-950 data-[state=active]:border-blue-700 data-[state=active]:text-blue-800 dark:text-slate-300 dark:hover:text-white dark:data-[state=active]:border-blue-400 dark:data-[state=active]:text-blue-300';

/** Tabs whose selection is a route: each tab has its own address, and back and forward move between them. */
export function RouteTabs<T extends string>({
  label,
  basePath,
  tabs,
  value,
  children,
}: {
  label: string;
  basePath: string;
  tabs: readonly { id: T; label: ReactNode }[];
  value: T;
  children: ReactNode;
}) {
  const navigate = useNavigate();
  return (
    <Tabs.Root
      value={value}
      onValueChange={(next) => void navigate(`${basePath}/${next}`)}
      activationMode="manual"
    >
      <Tabs.List
        aria-label={label}
        className="mb-4 flex gap-1 overflow-x-auto border-b border-slate-300 dark:border-slate-700"
      >
        {tabs.map((t) => (
          <Tabs.Trigger key={t.id} value={t.id} className={TRIGGER}>
            {t.label}
          </Tabs.Trigger>
        ))}
      </Tabs.List>
      <Tabs.Content value={value} tabIndex={-1} className="outline-none">
        {children}
      </Tabs.Content>
    </Tabs.Root>
  );
}
