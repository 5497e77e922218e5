import { ipEntryError, normaliseIpEntry } from '../../contract/ip';
import type { MaxValidity, Settings } from '../../contract/settings';
import { EXPIRY_TOLERANCE_MS, latestExpiry, type CreateTokenRequest } from '../../contract/tokens';
import type { User } from '../../contract/users';

/** "12 months", "1 day": the policy's maximum validity in words. */
export function describeMaxValidity(maxValidity: MaxValidity): string {
  if (maxValidity.unit === 'never') return 'no limit';
  const unit = maxValidity.unit === 'months' ? 'month' : 'day';
  return `${maxValidity.value} ${unit}${maxValidity.value === 1 ? '' : 's'}`;
}

/** Field errors of the token policy and the IP entries of a create request (empty: acceptable). */
export function createRequestErrors(
  input: CreateTokenRequest,
  caller: User,
  settings: Settings,
  now: Date,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const policy = settings.authentication.tokenPolicy;

  const seen = new Set<string>();
  input.ipRestrictions.forEach((raw, index) => {
    // Validate what was typed (010.0.0.0/8 must not pass as its canonical 8.0.0.0/8), then compare
    // canonical forms (2001:DB8:0::1 is 2001:db8::1).
    const error = ipEntryError(raw.trim());
    const entry = normaliseIpEntry(raw);
    if (error) errors[`ipRestrictions.${index}`] = error;
    else if (seen.has(entry)) errors[`ipRestrictions.${index}`] = `${entry} is listed twice.`;
    seen.add(entry);
  });

  const latest = latestExpiry(policy.maxValidity, now);
  const limit = describeMaxValidity(policy.maxValidity);
  if (input.expiresAt === null) {
    if (latest !== null) {
      errors.expiresAt = `This token must expire: the policy allows at most ${limit} (until ${latest.toISOString()}).`;
    }
  } else {
    const expires = Date.parse(input.expiresAt);
    if (expires <= now.getTime()) {
      errors.expiresAt = 'The expiry must be in the future.';
    } else if (latest !== null && expires > latest.getTime() + EXPIRY_TOLERANCE_MS) {
      errors.expiresAt = `Too far in the future: the policy allows at most ${limit}, until ${latest.toISOString()}.`;
    }
  }

  // The policy narrows what regular users may ask for; administrators keep both scopes.
  if (policy.forceReadOnlyForRegularUsers && caller.role !== 'admin' && input.scope === 'READ_WRITE') {
    errors.scope = 'The policy allows Read Only tokens only.';
  }
  return errors;
}
