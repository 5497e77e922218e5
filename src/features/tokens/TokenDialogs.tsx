import { useState } from 'react';
import { DescriptionSchema, SCOPE_LABELS, type DirectoryUser, type Token } from '@contract/tokens';
import { Button } from '@/components/ui/Button';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { Dialog } from '@/components/ui/Dialog';
import { TextField } from '@/components/ui/Field';
import { Notice } from '@/components/ui/Notice';
import { ApiError } from '@/lib/api-error';
import { formatDateTime } from '@/lib/time';
import { showToast } from '@/stores/toasts';
import { useRevokeAllTokensOfUser, useRevokeTokens, useUpdateTokenDescription } from './api';
import { UserPicker } from './UserPicker';

function TokenDetails({ token }: { token: Token }) {
  return (
    <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-0.5 rounded-md bg-slate-100 p-3 text-sm dark:bg-slate-800">
      <dt className="font-medium">Description</dt>
      <dd>{token.description}</dd>
      <dt className="font-medium">Owner</dt>
      <dd>{token.ownerUsername}</dd>
      <dt className="font-medium">Scope</dt>
      <dd>{SCOPE_LABELS[token.scope]}</dd>
      <dt className="font-medium">Created</dt>
      <dd>{formatDateTime(token.createdAt)}</dd>
      <dt className="font-medium">Last used</dt>
      <dd>
        {token.lastUsedAt ? `${formatDateTime(token.lastUsedAt)} from ${token.lastUsedIp ?? '?'}` : 'Never'}
      </dd>
      <dt className="font-medium">Token ID</dt>
      <dd className="font-mono">{token.id}</dd>
    </dl>
  );
}

/** Revokes one token or several, after a confirmation that shows what will stop working. */
export function RevokeDialog({
  tokens,
  onClose,
}: {
  tokens: readonly Token[];
  onClose: (revoked: boolean) => void;
}) {
  const revoke = useRevokeTokens();
  const one = tokens.length === 1 ? tokens[0] : undefined;
  return (
    <ConfirmDialog
      open={tokens.length > 0}
      title={one ? 'Revoke this token?' : `Revoke ${tokens.length} tokens?`}
      confirmLabel={one ? 'Revoke token' : `Revoke ${tokens.length} tokens`}
      onCancel={() => onClose(false)}
      onConfirm={() =>
        revoke.mutate(
          tokens.map((t) => t.id),
          {
            onSuccess: ({ revoked, failed }) => {
              showToast(
                failed.length
                  ? {
                      tone: 'error',
                      title: `${failed.length} tokens were not revoked`,
                      description: 'Try again.',
                    }
                  : { tone: 'success', title: revoked === 1 ? 'Token revoked' : `${revoked} tokens revoked` },
              );
              onClose(true);
            },
          },
        )
      }
    >
      <p>
        Requests authenticated with {one ? 'this token' : 'these tokens'} stop working at once. This cannot be
        undone.
      </p>
      {one ? (
        <TokenDetails token={one} />
      ) : (
        <ul className="mt-2 max-h-48 list-disc overflow-y-auto pl-5">
          {tokens.map((t) => (
            <li key={t.id}>
              {t.description} ({t.ownerUsername}, {SCOPE_LABELS[t.scope]})
            </li>
          ))}
        </ul>
      )}
    </ConfirmDialog>
  );
}

export function EditDescriptionDialog({ token, onClose }: { token: Token | null; onClose: () => void }) {
  const update = useUpdateTokenDescription();
  const [value, setValue] = useState(token?.description ?? '');
  const [error, setError] = useState<string>();
  const save = () => {
    if (!token) return;
    const parsed = DescriptionSchema.safeParse(value);
    if (!parsed.success) return setError(parsed.error.issues[0]?.message);
    update.mutate(
      { id: token.id, description: parsed.data },
      {
        onSuccess: () => {
          showToast({ tone: 'success', title: 'Description saved' });
          onClose();
        },
        onError: (e) =>
          setError(e instanceof ApiError ? (e.fieldErrors.description ?? e.message) : e.message),
      },
    );
  };
  return (
    <Dialog open={token !== null} onOpenChange={(open) => !open && onClose()} title="Edit description">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
        className="space-y-4"
      >
        <TextField
          id="edit-description"
          label="Description"
          value={value}
          error={error}
          onChange={(e) => {
            setValue(e.target.value);
            setError(undefined);
          }}
        />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={update.isPending}>
            {update.isPending ? 'Saving…' : 'Save'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/** Token Manager: revokes every token of one user; the admin types the username to confirm. */
export function RevokeAllDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const revokeAll = useRevokeAllTokensOfUser();
  const [user, setUser] = useState<DirectoryUser | null>(null);
  const [typed, setTyped] = useState('');
  const close = () => {
    setUser(null);
    setTyped('');
    revokeAll.reset();
    onClose();
  };
  const confirmed = user !== null && typed.trim() === user.username;
  return (
    <Dialog open={open} onOpenChange={(next) => !next && close()} title="Revoke all tokens of a user">
      <form
        noValidate
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (!user || !confirmed) return;
          revokeAll.mutate(user.key, {
            onSuccess: ({ deleted }) => {
              showToast({
                tone: 'success',
                title: `Revoked ${deleted} ${deleted === 1 ? 'token' : 'tokens'} of ${user.username}`,
              });
              close();
            },
          });
        }}
      >
        <UserPicker label="User" value={user} onChange={setUser} />
        {user && (
          <>
            <p className="text-sm">
              Every API token of <strong>{user.displayName}</strong> stops working at once. This cannot be
              undone.
            </p>
            <TextField
              id="confirm-username"
              label={`Type ${user.username} to confirm`}
              value={typed}
              autoComplete="off"
              onChange={(e) => setTyped(e.target.value)}
            />
          </>
        )}
        {revokeAll.isError && (
          <Notice tone="danger" title="The tokens were not revoked" alert>
            {revokeAll.error.message}
          </Notice>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="danger" disabled={!confirmed || revokeAll.isPending}>
            Revoke all tokens
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
