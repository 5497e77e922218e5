import type { ReactNode } from 'react';
import { Button } from './Button';
import { ModalDialog } from './ModalDialog';

/** A confirmation that names what will happen; focus returns to where it was when it closes. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  onConfirm,
  onCancel,
  danger = true,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** null: no way out but the confirmation (e.g. a session that must be renewed). */
  cancelLabel?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
  danger?: boolean;
}) {
  return (
    <ModalDialog open={open} onClose={onCancel} title={title} role="alertdialog" description={children}>
      <div className="flex flex-wrap justify-end gap-2">
        {cancelLabel !== null && <Button onClick={onCancel}>{cancelLabel}</Button>}
        <Button
          variant={danger ? 'danger' : 'primary'}
          onClick={onConfirm}
          data-autofocus={cancelLabel === null || undefined}
        >
          {confirmLabel}
        </Button>
      </div>
    </ModalDialog>
  );
}
