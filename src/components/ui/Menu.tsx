import { DropdownMenu } from 'radix-ui';
import { createContext, useContext, useRef, type ComponentProps, type ReactNode } from 'react';
import { Link, type LinkProps } from 'react-router';

/**
 * A menu of actions behind a button (Radix DropdownMenu: arrow keys, typeahead, Escape, focus back on
 * the button). Not modal: a modal menu would lock scrolling by injecting a style element, which the
 * console's Content-Security-Policy forbids. An item runs once the menu has closed and the focus is
 * back on the button, so that a dialog it opens returns the focus there when it closes.
 */
export function Menu({
  trigger,
  label,
  children,
  defaultOpen,
  align = 'end',
}: {
  /** The button (Radix passes it its props and ref). */
  trigger: ReactNode;
  /** The menu's accessible name (default: the button's). */
  label?: string;
  children: ReactNode;
  /** Open when it mounts (a menu whose code loaded when its button was pressed). */
  defaultOpen?: boolean;
  align?: 'start' | 'end';
}) {
  const triggerRef = useRef<HTMLButtonElement>(null);
  const pending = useRef<(() => void) | null>(null);
  const afterClose = (action: () => void) => {
    pending.current = action;
  };
  return (
    <DropdownMenu.Root modal={false} defaultOpen={defaultOpen}>
      <DropdownMenu.Trigger asChild ref={triggerRef}>
        {trigger}
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align={align}
          sideOffset={4}
          collisionPadding={8}
          aria-label={label}
          // Radix names the menu by its button; a label of its own replaces that name.
          {...(label !== undefined && { 'aria-labelledby': undefined })}
          className="z-50 min-w-48 rounded-md border border-slate-200 bg-white p-1 text-sm text-slate-900 shadow-lg dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
          onCloseAutoFocus={(event) => {
            const run = pending.current;
            pending.current = null;
            if (!run) return;
            event.preventDefault();
            triggerRef.current?.focus();
            run();
          }}
        >
          <AfterCloseContext value={afterClose}>{children}</AfterCloseContext>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

/** Runs an action once the menu has closed (see Menu). */
const AfterCloseContext = createContext<(action: () => void) => void>((action) => action());

const ITEM_CLASS =
  'flex w-full cursor-default items-center gap-2 rounded px-2 py-1.5 outline-none select-none data-[disabled]:text-slate-500 data-[highlighted]:bg-slate-100 dark:data-[highlighted]:bg-slate-800';

export function MenuItem({
  onSelect,
  danger = false,
  children,
}: {
  onSelect: () => void;
  danger?: boolean;
  children: ReactNode;
}) {
  const afterClose = useContext(AfterCloseContext);
  return (
    <DropdownMenu.Item
      className={`${ITEM_CLASS} ${danger ? 'text-red-700 dark:text-red-400' : ''}`}
      onSelect={() => afterClose(onSelect)}
    >
      {children}
    </DropdownMenu.Item>
  );
}

/** An item that opens a page of the console. */
export function MenuLink({ children, ...link }: LinkProps) {
  return (
    <DropdownMenu.Item asChild className={ITEM_CLASS}>
      <Link {...link}>{children}</Link>
    </DropdownMenu.Item>
  );
}

/** One choice of several (a radio group with a visible name). */
export function MenuChoice<T extends string>({
  label,
  value,
  choices,
  onChange,
}: {
  label: string;
  value: T;
  choices: readonly { value: T; label: ReactNode }[];
  onChange: (value: T) => void;
}) {
  const afterClose = useContext(AfterCloseContext);
  return (
    <DropdownMenu.Group aria-label={label}>
      <DropdownMenu.Label className="px-2 pt-2 pb-1 text-xs font-semibold text-slate-600 dark:text-slate-300">
        {label}
      </DropdownMenu.Label>
      <DropdownMenu.RadioGroup value={value} onValueChange={(next) => afterClose(() => onChange(next as T))}>
        {choices.map((choice) => (
          <DropdownMenu.RadioItem key={choice.value} value={choice.value} className={ITEM_CLASS}>
            <span className="w-4" aria-hidden="true">
              <DropdownMenu.ItemIndicator>✓</DropdownMenu.ItemIndicator>
            </span>
            {choice.label}
          </DropdownMenu.RadioItem>
        ))}
      </DropdownMenu.RadioGroup>
    </DropdownMenu.Group>
  );
}

export function MenuSeparator() {
  return <DropdownMenu.Separator className="my-1 h-px bg-slate-200 dark:bg-slate-700" />;
}

/** A line of text in the menu that is not an action (e.g. who is signed in). */
export function MenuNote(props: ComponentProps<typeof DropdownMenu.Label>) {
  return <DropdownMenu.Label className="px-2 py-1.5 text-sm text-slate-700 dark:text-slate-300" {...props} />;
}
