import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';

/**
 * A modal on the native <dialog>: the browser makes the rest of the page inert, traps focus and closes
 * on Escape; no script injects styles (the console runs under a strict CSP). Focus goes to the first
 * focusable element, or the one marked `data-autofocus`, and returns to where it was when the dialog
 * closes.
 */
export function ModalDialog({
  open,
  onClose,
  title,
  description,
  role = 'dialog',
  size = 'md',
  children,
}: {
  open: boolean;
  /** Escape, or a close button of the caller's. */
  onClose: () => void;
  title: string;
  /** Read out with the title when the dialog opens. */
  description?: ReactNode;
  /** "alertdialog" for confirmations that interrupt. */
  role?: 'dialog' | 'alertdialog';
  size?: 'md' | 'lg';
  children: ReactNode;
}) {
  if (!open) return null;
  return (
    <OpenDialog onClose={onClose} title={title} description={description} role={role} size={size}>
      {children}
    </OpenDialog>
  );
}

function OpenDialog({
  onClose,
  title,
  description,
  role,
  size,
  children,
}: {
  onClose: () => void;
  title: string;
  description?: ReactNode;
  role: 'dialog' | 'alertdialog';
  size: 'md' | 'lg';
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  const id = useId();
  useLayoutEffect(() => {
    onCloseRef.current = onClose;
  });

  useLayoutEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // showModal() focuses the first focusable element; a dialog names another with data-autofocus
    // (React's autoFocus cannot: it runs while the dialog is still closed, when nothing in it can be focused).
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    // Escape: the caller decides (it closes by no longer rendering the dialog).
    const cancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', cancel);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      aria-describedby={description ? `${id}-description` : undefined}
      className={`m-auto max-h-[calc(100dvh-2rem)] w-[calc(100vw-2rem)] overflow-y-auto rounded-lg bg-white p-6 text-slate-900 shadow-xl dark:bg-slate-900 dark:text-slate-100 ${
        size === 'lg' ? 'max-w-2xl' : 'max-w-lg'
      }`}
    >
      <h2 id={`${id}-title`} className="pr-8 text-lg font-semibold">
        {title}
      </h2>
      {description && (
        <div id={`${id}-description`} className="mt-1 text-sm text-slate-700 dark:text-slate-300">
          {description}
        </div>
      )}
      <div className="mt-4">{children}</div>
    </dialog>
  );
}
