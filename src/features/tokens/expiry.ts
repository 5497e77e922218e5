import { addMonths, EXPIRY_TOLERANCE_MS } from '@contract/tokens';
import { dayBoundary, formatDate, localDay } from '@/lib/time';

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

/**
 * The expiry instant of a choice made at `now`; null for "Never"; undefined for a custom date not yet
 * valid. A custom date means the end of that day in the zone the user sees, or on the policy's last
 * day the policy's limit: the last day the policy allows can be chosen.
 */
export function expiryOf(
  choice: ExpiryChoice,
  customDay: string,
  now: Date,
  latestExpiresAt: string | null,
): string | null | undefined {
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
    case 'custom': {
      const end = dayBoundary(customDay, 'end');
      if (end === undefined || latestExpiresAt === null) return end;
      return Date.parse(end) > Date.parse(latestExpiresAt) ? latestExpiresAt : end;
    }
    case 'never':
      return null;
  }
}

/** The first and last day a custom date may be (today, and the policy's last day). */
export function customDayBounds(now: Date, latestExpiresAt: string | null): { min: string; max?: string } {
  return { min: localDay(now.toISOString()), max: latestExpiresAt ? localDay(latestExpiresAt) : undefined };
}

/**
 * Why a choice is not allowed by the policy, and which field says so (`day`: the custom date, `choice`:
 * the Expires choice), or null when it is allowed.
 */
export function expiryProblem(
  choice: ExpiryChoice,
  customDay: string,
  now: Date,
  latestExpiresAt: string | null,
): { field: 'choice' | 'day'; message: string } | null {
  if (choice === 'custom') {
    if (dayBoundary(customDay, 'end') === undefined) return { field: 'day', message: 'Choose a date.' };
    const { min, max } = customDayBounds(now, latestExpiresAt);
    if (customDay < min) return { field: 'day', message: 'Choose today or a later day.' };
    if (max !== undefined && customDay > max) {
      return {
        field: 'day',
        message: `Longer than the token policy allows: ${formatDate(latestExpiresAt!)} at the latest.`,
      };
    }
    return null;
  }
  const expiresAt = expiryOf(choice, customDay, now, latestExpiresAt);
  if (expiresAt === null) {
    return latestExpiresAt === null
      ? null
      : { field: 'choice', message: 'The token policy does not allow tokens that never expire.' };
  }
  if (
    latestExpiresAt !== null &&
    expiresAt !== undefined &&
    Date.parse(expiresAt) > Date.parse(latestExpiresAt) + EXPIRY_TOLERANCE_MS
  ) {
    return { field: 'choice', message: 'Longer than the token policy allows.' };
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
