import { addMonths, EXPIRY_TOLERANCE_MS } from '@contract/tokens';
import { dayBoundary } from '@/lib/time';

export type ExpiryChoice = '7d' | '30d' | '90d' | '6m' | '1y' | 'custom' | 'never';

export const EXPIRY_CHOICES: { id: ExpiryChoice; label: string }[] = [
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
  { id: '90d', label: '90 days' },
  { id: '6m', label: '6 months' },
  { id: '1y', label: '1 year' },
  { id: 'custom', label: 'Custom date' },
  { id: 'never', label: 'Never' },
];

const DAY = 86_400_000;

/** The expiry instant of a choice made at `now`; null for "Never"; undefined for a custom date not yet valid. */
export function expiryOf(choice: ExpiryChoice, customDay: string, now: Date): string | null | undefined {
  switch (choice) {
    case '7d':
      return new Date(now.getTime() + 7 * DAY).toISOString();
    case '30d':
      return new Date(now.getTime() + 30 * DAY).toISOString();
    case '90d':
      return new Date(now.getTime() + 90 * DAY).toISOString();
    case '6m':
      return addMonths(now, 6).toISOString();
    case '1y':
      return addMonths(now, 12).toISOString();
    case 'custom':
      // A date means the end of that day, in the zone the user sees.
      return dayBoundary(customDay, 'end');
    case 'never':
      return null;
  }
}

/** Why a choice is not allowed by the policy, or null when it is. */
export function expiryProblem(
  choice: ExpiryChoice,
  customDay: string,
  now: Date,
  latestExpiresAt: string | null,
): string | null {
  const expiresAt = expiryOf(choice, customDay, now);
  if (expiresAt === undefined) return 'Choose a date.';
  if (expiresAt === null)
    return latestExpiresAt === null ? null : 'The token policy does not allow tokens that never expire.';
  if (Date.parse(expiresAt) <= now.getTime()) return 'Choose a date in the future.';
  if (latestExpiresAt !== null && Date.parse(expiresAt) > Date.parse(latestExpiresAt) + EXPIRY_TOLERANCE_MS) {
    return 'Longer than the token policy allows.';
  }
  return null;
}

/** The choices the policy allows at `now` ("Custom date" always: its day is checked when chosen). */
export function allowedExpiryChoices(now: Date, latestExpiresAt: string | null): ExpiryChoice[] {
  return EXPIRY_CHOICES.map((c) => c.id).filter(
    (id) => id === 'custom' || expiryProblem(id, '', now, latestExpiresAt) === null,
  );
}

/** The choice to use: the one made if the policy allows it, else the longest preset it allows. */
export function effectiveExpiryChoice(
  choice: ExpiryChoice,
  now: Date,
  latestExpiresAt: string | null,
): ExpiryChoice {
  const allowed = allowedExpiryChoices(now, latestExpiresAt);
  if (allowed.includes(choice)) return choice;
  return allowed.filter((c) => c !== 'custom' && c !== 'never').at(-1) ?? 'custom';
}
