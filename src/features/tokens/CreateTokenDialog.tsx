import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { fieldErrorsOf } from '@contract/problem';
import {
  CreateTokenRequestSchema,
  SCOPE_LABELS,
  type CreatedToken,
  type DirectoryUser,
  type TokenScope,
} from '@contract/tokens';
import { IpListEditor } from '@/components/IpListEditor';
import { errorsUnder } from '@/lib/field-errors';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { FieldError, INPUT_CLASS, TextField } from '@/components/ui/Field';
import { LoadingState } from '@/components/ui/LoadingState';
import { Notice } from '@/components/ui/Notice';
import { ApiError } from '@/lib/api-error';
import { formatDateTime, localDay } from '@/lib/time';
import { tokenPolicyQueryOptions, useCreateToken } from './api';
import {
  allowedExpiryChoices,
  EXPIRY_CHOICES,
  effectiveExpiryChoice,
  expiryOf,
  expiryProblem,
  type ExpiryChoice,
} from './expiry';
import { SecretView } from './SecretView';
import { UserPicker } from './UserPicker';

interface Draft {
  description: string;
  scope: TokenScope;
  expiry: ExpiryChoice;
  customDay: string;
  ipRestrictions: string[];
  owner: DirectoryUser | null;
}

const EMPTY: Draft = {
  description: '',
  scope: 'READ_ONLY',
  expiry: '30d',
  customDay: '',
  ipRestrictions: [],
  owner: null,
};

/**
 * "Create token": the form, then the secret, shown exactly once. Closing drops the secret from memory
 * (the mutation is reset); it is never cached, stored or put in the address bar.
 */
export function CreateTokenDialog({
  open,
  onOpenChange,
  forOtherUsers,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Token Manager: the token may be for any user, chosen with a user picker. */
  forOtherUsers: boolean;
}) {
  const policy = useQuery({ ...tokenPolicyQueryOptions, enabled: open });
  const create = useCreateToken();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pendingIp, setPendingIp] = useState('');
  const created: CreatedToken | undefined = create.data;

  const close = (next: boolean) => {
    if (next) return onOpenChange(true);
    create.reset();
    setDraft(EMPTY);
    setErrors({});
    setPendingIp('');
    onOpenChange(false);
  };

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setErrors(({ [key]: _dropped, ...rest }) => rest);
  };

  const submit = () => {
    if (!policy.data) return;
    const now = new Date();
    const scope = policy.data.readOnlyForced && !forOtherUsers ? 'READ_ONLY' : draft.scope;
    const expiry = effectiveExpiryChoice(draft.expiry, now, policy.data.latestExpiresAt);
    const request = {
      description: draft.description,
      scope,
      expiresAt: expiryOf(expiry, draft.customDay, now) ?? null,
      ipRestrictions: draft.ipRestrictions,
      ...(forOtherUsers && draft.owner && { ownerKey: draft.owner.key }),
    };
    const next: Record<string, string> = {};
    const parsed = CreateTokenRequestSchema.safeParse(request);
    if (!parsed.success) Object.assign(next, fieldErrorsOf(parsed.error.issues));
    const expiryError = expiryProblem(expiry, draft.customDay, now, policy.data.latestExpiresAt);
    if (expiryError) next.expiresAt = expiryError;
    if (forOtherUsers && !draft.owner) next.ownerKey = 'Choose the user the token is for.';
    // An address typed but not added would otherwise be dropped: the token would work from anywhere.
    if (pendingIp) next.ipRestrictions = `Press "Add" to add ${pendingIp}, or clear the field.`;
    setErrors(next);
    if (Object.keys(next).length > 0 || !parsed.success) return;
    create.mutate(parsed.data, {
      onError: (error) => {
        if (error instanceof ApiError && Object.keys(error.fieldErrors).length > 0)
          setErrors(error.fieldErrors);
      },
    });
  };

  const title = created ? 'Token created' : 'Create token';
  return (
    <Dialog open={open} onOpenChange={close} title={title} wide>
      {created ? (
        <SecretView
          created={created}
          onCreateAnother={() => {
            create.reset();
            setErrors({});
          }}
          onDone={() => close(false)}
        />
      ) : policy.isPending ? (
        <LoadingState label="Loading the token policy…" />
      ) : policy.isError ? (
        <Notice tone="danger" title="The token policy could not be loaded" alert>
          {policy.error.message} <Button onClick={() => void policy.refetch()}>Try again</Button>
        </Notice>
      ) : (
        <form
          noValidate
          className="space-y-5"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          {forOtherUsers && (
            <UserPicker
              label="Owner"
              value={draft.owner}
              onChange={(u) => set('owner', u)}
              error={errors.ownerKey}
            />
          )}
          <TextField
            id="token-description"
            label="Description"
            hint="What the token is for, e.g. “Jenkins CI” — at most 255 characters."
            value={draft.description}
            maxLength={300}
            autoComplete="off"
            error={errors.description}
            onChange={(e) => set('description', e.target.value)}
          />
          <ScopeField
            value={policy.data.readOnlyForced && !forOtherUsers ? 'READ_ONLY' : draft.scope}
            locked={policy.data.readOnlyForced && !forOtherUsers}
            onChange={(scope) => set('scope', scope)}
            error={errors.scope}
          />
          <ExpiryField
            choice={effectiveExpiryChoice(draft.expiry, new Date(), policy.data.latestExpiresAt)}
            customDay={draft.customDay}
            latestExpiresAt={policy.data.latestExpiresAt}
            error={errors.expiresAt}
            onChoice={(choice) => set('expiry', choice)}
            onCustomDay={(day) => set('customDay', day)}
          />
          <IpListEditor
            id="token-ip-restrictions"
            label="IP restrictions"
            hint="The token works only from these addresses and ranges (IPv4 or IPv6). Empty: from any address."
            entries={draft.ipRestrictions}
            errors={errorsUnder(errors, 'ipRestrictions')}
            error={errors.ipRestrictions}
            onPendingChange={(text) => {
              setPendingIp(text);
              setErrors(({ ipRestrictions: _dropped, ...rest }) => rest);
            }}
            onChange={(entries) => set('ipRestrictions', entries)}
          />
          {create.isError &&
            !(create.error instanceof ApiError && Object.keys(create.error.fieldErrors).length > 0) && (
              <Notice tone="danger" title="The token was not created" alert>
                {create.error.message} Your entries are kept; try again.
              </Notice>
            )}
          <div className="flex justify-end gap-2">
            <Button onClick={() => close(false)}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={create.isPending}>
              {create.isPending ? 'Creating…' : 'Create token'}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

function ScopeField({
  value,
  locked,
  onChange,
  error,
}: {
  value: TokenScope;
  locked: boolean;
  onChange: (scope: TokenScope) => void;
  error?: string;
}) {
  return (
    <fieldset aria-describedby={locked ? 'scope-locked' : undefined}>
      <legend className="text-sm font-medium">Scope</legend>
      <div className="mt-1 flex flex-wrap gap-x-6 gap-y-1 text-sm">
        {(['READ_ONLY', 'READ_WRITE'] as const).map((scope) => (
          <label
            key={scope}
            className={`flex items-center gap-2 ${locked && scope !== value ? 'text-slate-500' : ''}`}
          >
            <input
              type="radio"
              name="token-scope"
              value={scope}
              checked={value === scope}
              disabled={locked}
              onChange={() => onChange(scope)}
            />
            {SCOPE_LABELS[scope]}
          </label>
        ))}
      </div>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
        A Read Only token may only use GET, HEAD and OPTIONS requests; anything else is answered 403.
      </p>
      {locked && (
        <p id="scope-locked" className="mt-1 text-sm font-medium text-amber-800 dark:text-amber-300">
          Locked to Read Only: the token policy forces Read Only scope for regular users.
        </p>
      )}
      <FieldError id="scope-error" message={error} />
    </fieldset>
  );
}

function ExpiryField({
  choice,
  customDay,
  latestExpiresAt,
  error,
  onChoice,
  onCustomDay,
}: {
  choice: ExpiryChoice;
  customDay: string;
  latestExpiresAt: string | null;
  error?: string;
  onChoice: (choice: ExpiryChoice) => void;
  onCustomDay: (day: string) => void;
}) {
  const now = new Date();
  const allowedIds = allowedExpiryChoices(now, latestExpiresAt);
  const allowed = EXPIRY_CHOICES.filter((c) => allowedIds.includes(c.id));
  const expiresAt = expiryOf(choice, customDay, now);
  return (
    <div>
      <label htmlFor="token-expiry" className="block text-sm font-medium">
        Expires
      </label>
      <select
        id="token-expiry"
        className={`mt-1 max-w-xs ${INPUT_CLASS}`}
        value={choice}
        aria-invalid={error ? true : undefined}
        aria-describedby={`token-expiry-hint${error ? ' token-expiry-error' : ''}`}
        onChange={(e) => onChoice(e.target.value as ExpiryChoice)}
      >
        {allowed.map((c) => (
          <option key={c.id} value={c.id}>
            {c.label}
          </option>
        ))}
      </select>
      {choice === 'custom' && (
        <div className="mt-2">
          <label htmlFor="token-expiry-day" className="block text-sm font-medium">
            Expiry date
          </label>
          <input
            id="token-expiry-day"
            type="date"
            className={`mt-1 max-w-xs ${INPUT_CLASS}`}
            value={customDay}
            min={localDay(new Date(now.getTime() + 86_400_000).toISOString())}
            max={
              latestExpiresAt
                ? localDay(new Date(Date.parse(latestExpiresAt) - 86_400_000).toISOString())
                : undefined
            }
            onChange={(e) => onCustomDay(e.target.value)}
          />
        </div>
      )}
      <p id="token-expiry-hint" className="mt-1 text-sm text-slate-600 dark:text-slate-300">
        {expiresAt
          ? `Expires ${formatDateTime(expiresAt)}. `
          : expiresAt === null
            ? 'The token never expires. '
            : ''}
        {latestExpiresAt
          ? `The token policy allows at most until ${formatDateTime(latestExpiresAt)}.`
          : 'The token policy allows tokens that never expire.'}
      </p>
      <FieldError id="token-expiry-error" message={error} />
    </div>
  );
}
