import { FieldError, INPUT_CLASS } from '@/components/ui/Field';
import { Notice } from '@/components/ui/Notice';
import { formatDateTime } from '@/lib/time';
import { allowedExpiryChoices, customDayBounds, EXPIRY_CHOICES, expiryOf, type ExpiryChoice } from './expiry';

/** "Keep the current expiry": the edit dialog's choice that changes nothing. */
export type ExpiryFieldChoice = ExpiryChoice | 'keep';

/**
 * The token's expiry: a preset, a custom date (a date field of its own) or never, within the policy.
 * `errors.choice` marks the choice, `errors.day` the date. "Never" is warned against, as GitHub does.
 */
export function ExpiryField({
  choice,
  customDay,
  latestExpiresAt,
  keep,
  errors,
  onChoice,
  onCustomDay,
}: {
  choice: ExpiryFieldChoice;
  customDay: string;
  latestExpiresAt: string | null;
  /** Offer "keep the current expiry" (editing), saying what it is. */
  keep?: string;
  errors: { choice?: string; day?: string };
  onChoice: (choice: ExpiryFieldChoice) => void;
  onCustomDay: (day: string) => void;
}) {
  const now = new Date();
  const allowedIds = allowedExpiryChoices(now, latestExpiresAt);
  const allowed = EXPIRY_CHOICES.filter((c) => allowedIds.includes(c.id));
  const expiresAt = choice === 'keep' ? undefined : expiryOf(choice, customDay, now, latestExpiresAt);
  const bounds = customDayBounds(now, latestExpiresAt);
  const describedBy = (errorId: string, error?: string) => `token-expiry-hint${error ? ` ${errorId}` : ''}`;
  return (
    <div>
      <label htmlFor="token-expiry" className="block text-sm font-medium">
        Expires
      </label>
      <select
        id="token-expiry"
        className={`mt-1 max-w-xs ${INPUT_CLASS}`}
        value={choice}
        aria-invalid={errors.choice ? true : undefined}
        aria-describedby={describedBy('token-expiry-error', errors.choice)}
        onChange={(e) => onChoice(e.target.value as ExpiryFieldChoice)}
      >
        {keep !== undefined && <option value="keep">Keep: {keep}</option>}
        {allowed.map((c) => (
          <option key={c.id} value={c.id}>
            {c.label}
          </option>
        ))}
      </select>
      <FieldError id="token-expiry-error" message={errors.choice} />
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
            min={bounds.min}
            max={bounds.max}
            aria-invalid={errors.day ? true : undefined}
            aria-describedby={describedBy('token-expiry-day-error', errors.day)}
            onChange={(e) => onCustomDay(e.target.value)}
          />
          <FieldError id="token-expiry-day-error" message={errors.day} />
        </div>
      )}
      <p id="token-expiry-hint" className="mt-1 text-sm text-slate-600 dark:text-slate-300">
        {expiresAt ? `Expires ${formatDateTime(expiresAt)}. ` : ''}
        {latestExpiresAt
          ? `The token policy allows at most until ${formatDateTime(latestExpiresAt)}.`
          : 'The token policy allows tokens that never expire.'}
      </p>
      {choice === 'never' && (
        <div className="mt-2">
          <Notice tone="warning" title="This token never expires">
            It works until it is revoked, however long ago it leaked. Choose an expiry unless the token must
            work indefinitely.
          </Notice>
        </div>
      )}
    </div>
  );
}
