import type { ReactNode } from 'react';
import { ModalDialog } from './ModalDialog';

/** A modal dialog with a close button; focus returns to the opener on close. */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  wide = false,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <ModalDialog
      open={open}
      onClose={() => onOpenChange(false)}
      title={title}
      description={description}
      size={wide ? 'lg' : 'md'}
    >
      {children}
      {/* Last in the focus order (shown top right): the dialog opens with the focus on its first field. */}
      <button
        type="button"
        aria-label="Close"
        className="absolute top-4 right-4 rounded px-2 text-slate-600 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
        onClick={() => onOpenChange(false)}
      >
        ✕
      </button>
    </ModalDialog>
  );
}
