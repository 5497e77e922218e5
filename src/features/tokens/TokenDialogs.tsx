import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  GRACE_PERIODS,
  SCOPE_LABELS,
  type DirectoryUser,
  type Token,
  type UpdateTokenRequest,
} from '@contract/tokens';
import { Button } from '@/components/ui/Button';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { Dialog } from '@/components/ui/Dialog';
import { TextField } from '@/components/ui/Field';
import { LoadingState } from '@/components/ui/LoadingState';
import { FormActions } from '@/components/ui/FormActions';
import { Notice } from '@/components/ui/Notice';
import { ApiError } from '@/lib/api-error';
import { copyUpdater, fieldBinder, useFocusFirstInvalid } from '@/lib/field-binding';
import { formatDateTime } from '@/lib/time';
import { showToast } from '@/stores/toasts';
import {
  tokenCountQueryOptions,
  tokenPolicyQueryOptions,
  useRevokeAllTokensOfUser,
  useRevokeTokens,
  useRotateToken,
  useUpdateToken,
} from './api';
import { TokenIpRestrictions } from './TokenIpRestrictions';
import { ExpiryField, type ExpiryFieldChoice } from './ExpiryField';
import { SecretDialog } from './SecretView';
import { expiresAtOf, formErrorsOf, tokenFormErrors } from './token-form';
import { TokenSummary } from './TokenSummary';
import { UserPicker } from './UserPicker';

/** What a confirmation about one token shows of it. */
const DETAILS = ['description', 'owner', 'scope', 'created', 'lastUsed', 'id'] as const;

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
        <TokenSummary token={one} rows={DETAILS} boxed />
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

/**
 * "Edit token": the description, the expiry (within the policy, for whoever may create tokens: a
 * longer life is like a new token) and the IP restrictions. Only what changed is sent.
 */
export function EditTokenDialog({
  token,
  canChangeExpiry,
  onClose,
}: {
  token: Token;
  canChangeExpiry: boolean;
  onClose: () => void;
}) {
  const update = useUpdateToken();
  const policy = useQuery({ ...tokenPolicyQueryOptions, enabled: canChangeExpiry });
  const [draft, setDraft] = useState<EditDraft>({
    description: token.description,
    expiry: 'keep',
    customDay: '',
    ipRestrictions: token.ipRestrictions,
  });
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [pendingIp, setPendingIp] = useState('');
  const [formRef, refused] = useFocusFirstInvalid();
  const latestExpiresAt = policy.data?.latestExpiresAt ?? null;
  const validate = () =>
    tokenFormErrors(
      draft.expiry === 'keep'
        ? { description: draft.description }
        : { description: draft.description, expiry: draft.expiry, customDay: draft.customDay },
      latestExpiresAt,
      pendingIp,
    );
  const errors = {
    ...(submitted ? validate() : {}),
    ...formErrorsOf(serverErrors, draft.expiry === 'keep' ? undefined : draft.expiry),
  };
  const bind = fieldBinder({
    draft,
    errors,
    update: copyUpdater(setDraft, () => setServerErrors({})),
  });

  const save = () => {
    setSubmitted(true);
    if (Object.keys(validate()).length > 0) return refused();
    const description = draft.description.trim();
    const changes: UpdateTokenRequest = {
      ...(description !== token.description && { description }),
      ...(draft.expiry !== 'keep' && {
        expiresAt: expiresAtOf({ expiry: draft.expiry, customDay: draft.customDay }, latestExpiresAt),
      }),
      ...(draft.ipRestrictions.join() !== token.ipRestrictions.join() && {
        ipRestrictions: draft.ipRestrictions,
      }),
    };
    if (Object.keys(changes).length === 0) return onClose();
    setFailure(null);
    update.mutate(
      { id: token.id, changes },
      {
        onSuccess: () => {
          showToast({ tone: 'success', title: 'Token saved' });
          onClose();
        },
        onError: (e) => {
          if (e instanceof ApiError && Object.keys(e.fieldErrors).length > 0) {
            setServerErrors(e.fieldErrors);
            refused();
          } else setFailure(e.message);
        },
      },
    );
  };

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="Edit token" wide>
      <form
        ref={formRef}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
        className="space-y-5"
      >
        <TextField id="edit-description" label="Description" autoComplete="off" {...bind('description')} />
        {canChangeExpiry &&
          (policy.isPending ? (
            <LoadingState label="Loading the token policy…" />
          ) : policy.isError ? (
            <Notice tone="danger" title="The token policy could not be loaded" alert>
              {policy.error.message} The expiry cannot be changed now.
            </Notice>
          ) : (
            <ExpiryField
              choice={draft.expiry}
              customDay={draft.customDay}
              latestExpiresAt={latestExpiresAt}
              keep={token.expiresAt ? formatDateTime(token.expiresAt) : 'never'}
              errors={{ choice: errors.expiry, day: errors.customDay }}
              onChoice={bind('expiry').onValueChange}
              onCustomDay={bind('customDay').onValueChange}
            />
          ))}
        <TokenIpRestrictions
          id="edit-ip-restrictions"
          errors={errors}
          onPendingChange={setPendingIp}
          {...bind('ipRestrictions')}
        />
        {failure && (
          <Notice tone="danger" title="The token was not saved" alert>
            {failure} Your changes are kept; try again.
          </Notice>
        )}
        <FormActions
          submitLabel="Save"
          pendingLabel="Saving…"
          pending={update.isPending}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}

interface EditDraft {
  description: string;
  expiry: ExpiryFieldChoice;
  customDay: string;
  ipRestrictions: string[];
}

/**
 * "Rotate": a new secret for the same token, shown once; the current secret stops at once or after
 * the grace period chosen here.
 */
export function RotateTokenDialog({ token, onClose }: { token: Token; onClose: () => void }) {
  const rotate = useRotateToken();
  const [minutes, setMinutes] = useState(0);
  if (rotate.data) {
    const until = rotate.data.token.previousSecretExpiresAt;
    return (
      <SecretDialog
        title="Token rotated"
        created={rotate.data}
        note={
          <p className="text-sm">
            {until
              ? `The previous secret keeps working until ${formatDateTime(until)}: update what uses it before then.`
              : 'The previous secret has stopped working.'}
          </p>
        }
        onClose={() => {
          rotate.reset();
          onClose();
        }}
      />
    );
  }
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title="Rotate this token?">
      <form
        className="space-y-4 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          rotate.mutate({ id: token.id, gracePeriodMinutes: minutes });
        }}
      >
        <p>
          The token gets a new secret, shown once. Its description, scope, expiry and IP restrictions stay as
          they are.
        </p>
        <TokenSummary token={token} rows={DETAILS} boxed />
        <fieldset>
          <legend className="font-medium">The current secret stops working</legend>
          <div className="mt-1 flex flex-wrap gap-x-5 gap-y-1">
            {GRACE_PERIODS.map((period) => (
              <label key={period.minutes} className="flex items-center gap-2">
                <input
                  type="radio"
                  name="grace-period"
                  checked={minutes === period.minutes}
                  onChange={() => setMinutes(period.minutes)}
                />
                {period.label}
              </label>
            ))}
          </div>
          <p className="mt-1 text-slate-600 dark:text-slate-300">
            A grace period lets what uses the token move to the new secret without a failed request.
          </p>
        </fieldset>
        {rotate.isError && (
          <Notice tone="danger" title="The token was not rotated" alert>
            {rotate.error.message} The current secret still works.
          </Notice>
        )}
        <FormActions
          submitLabel="Rotate token"
          pendingLabel="Rotating…"
          pending={rotate.isPending}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}

/** Token Manager: revokes every token of one user, saying how many; the admin types the username to confirm. */
export function RevokeAllDialog({ onClose }: { onClose: () => void }) {
  const revokeAll = useRevokeAllTokensOfUser();
  const [user, setUser] = useState<DirectoryUser | null>(null);
  const [typed, setTyped] = useState('');
  const count = useQuery({ ...tokenCountQueryOptions(user?.username ?? ''), enabled: user !== null });
  const n = count.data;
  const confirmed = user !== null && n !== undefined && n > 0 && typed.trim() === user.username;
  return (
    <Dialog open onOpenChange={(next) => !next && onClose()} title="Revoke all tokens of a user">
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
              onClose();
            },
          });
        }}
      >
        <UserPicker label="User" value={user} onChange={setUser} autoFocus />
        {user &&
          (count.isPending ? (
            <LoadingState label={`Counting the tokens of ${user.username}…`} />
          ) : count.isError ? (
            <Notice tone="danger" title="The tokens could not be counted" alert>
              {count.error.message} <Button onClick={() => void count.refetch()}>Try again</Button>
            </Notice>
          ) : n === 0 ? (
            <p className="text-sm">
              <strong>{user.displayName}</strong> has no API tokens: there is nothing to revoke.
            </p>
          ) : (
            <>
              <p className="text-sm">
                All <strong>{n === 1 ? '1 API token' : `${n} API tokens`}</strong> of{' '}
                <strong>{user.displayName}</strong> stop working at once. This cannot be undone.
              </p>
              <TextField
                id="confirm-username"
                label={`Type ${user.username} to confirm`}
                value={typed}
                autoComplete="off"
                onValueChange={setTyped}
              />
            </>
          ))}
        {revokeAll.isError && (
          <Notice tone="danger" title="The tokens were not revoked" alert>
            {revokeAll.error.message}
          </Notice>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="danger" disabled={!confirmed || revokeAll.isPending}>
            {n ? `Revoke ${n === 1 ? '1 token' : `${n} tokens`}` : 'Revoke all tokens'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
