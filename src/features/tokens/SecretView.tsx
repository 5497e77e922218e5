import { useState, type ReactNode } from 'react';
import type { CreatedToken } from '@contract/tokens';
import { Button } from '@/components/ui/Button';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { CopyButton } from '@/components/ui/CopyButton';
import { Dialog } from '@/components/ui/Dialog';
import { INPUT_CLASS } from '@/components/ui/Field';
import { Notice } from '@/components/ui/Notice';
import { API_ORIGIN } from '@/lib/config';
import { TokenSummary } from './TokenSummary';

/**
 * A token's secret, shown exactly once (after creating or rotating it): Copy, a summary and usage
 * examples with their own Copy. Closing it with Escape or ✕ before anything was copied asks first:
 * the secret cannot be shown again.
 */
export function SecretDialog({
  title,
  created,
  note,
  actions,
  onClose,
}: {
  title: string;
  created: CreatedToken;
  /** What else the user should know (e.g. until when the previous secret works). */
  note?: ReactNode;
  /** Buttons beside "Done". */
  actions?: ReactNode;
  onClose: () => void;
}) {
  const [copied, setCopied] = useState(false);
  const [askingToClose, setAskingToClose] = useState(false);
  const { token, secret } = created;
  const endpoint = `${API_ORIGIN || window.location.origin}/rest/api/2/myself`;
  const examples = [
    { name: 'Basic', text: `curl -u ${token.ownerUsername}:${secret} ${endpoint}` },
    { name: 'Bearer', text: `curl -H "Authorization: Bearer ${secret}" ${endpoint}` },
  ];

  return (
    <Dialog
      open
      title={title}
      wide
      onOpenChange={(open) => {
        if (open) return;
        if (copied) onClose();
        else setAskingToClose(true);
      }}
    >
      <div className="space-y-5">
        <Notice tone="warning" title="Copy the token now">
          This is the only time it is shown. Once you close this dialog it cannot be shown again: the server
          keeps only a hash of it.
        </Notice>
        {note}
        <div>
          <label htmlFor="new-token-secret" className="block text-sm font-medium">
            Your new API token
          </label>
          <div className="mt-1 flex gap-2">
            <input
              id="new-token-secret"
              readOnly
              value={secret}
              className={`${INPUT_CLASS} font-mono`}
              onFocus={(e) => e.target.select()}
            />
            <CopyButton
              text={secret}
              label="Copy the token"
              variant="primary"
              onCopied={() => setCopied(true)}
            />
          </div>
        </div>

        <TokenSummary
          token={token}
          rows={['description', 'owner', 'scope', 'expires', 'ipRestrictions', 'id']}
        />

        <div>
          <h3 className="text-sm font-medium">Use it</h3>
          {examples.map((example) => (
            <div key={example.name} className="mt-2">
              <p className="text-sm text-slate-600 dark:text-slate-300">
                {example.name === 'Basic'
                  ? "Basic authentication, with the owner's username:"
                  : 'Bearer authentication:'}
              </p>
              <div className="mt-1 flex items-start gap-2">
                {/* One line that scrolls, never broken inside the address or the token. */}
                {/* Focusable: a keyboard user scrolls it with the arrow keys. */}
                <pre
                  tabIndex={0}
                  className="min-w-0 flex-1 overflow-x-auto rounded bg-slate-100 p-2 text-xs whitespace-pre dark:bg-slate-800"
                >
                  <code>{example.text}</code>
                </pre>
                <CopyButton
                  text={example.text}
                  label={`Copy the ${example.name} example`}
                  onCopied={() => setCopied(true)}
                />
              </div>
            </div>
          ))}
        </div>

        <div className="flex flex-wrap justify-end gap-2">
          {actions}
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        </div>
      </div>

      <ConfirmDialog
        open={askingToClose}
        title="Have you copied the token?"
        confirmLabel="Close, I have copied it"
        cancelLabel="Go back to the token"
        danger={false}
        onCancel={() => setAskingToClose(false)}
        onConfirm={() => {
          setAskingToClose(false);
          onClose();
        }}
      >
        Once this dialog is closed the token cannot be shown again. If it is lost, rotate the token for a new
        secret.
      </ConfirmDialog>
    </Dialog>
  );
}
