import { ipEntryError, normaliseIpEntry } from '../../contract/ip';
import type { MaxValidity, Settings } from '../../contract/settings';
import {
  EXPIRY_TOLERANCE_MS,
  latestExpiry,
  type CreateTokenRequest,
  type Token,
  type UpdateTokenRequest,
} from '../../contract/tokens';
import type { User } from '../../contract/users';
import type { TokenChanges } from '../store/port';

/** "12 months", "1 day": the policy's maximum validity in words. */
export function describeMaxValidity(maxValidity: MaxValidity): string {
  if (maxValidity.unit === 'never') return 'no limit';
  const unit = maxValidity.unit === 'months' ? 'month' : 'day';
  return `${maxValidity.value} ${unit}${maxValidity.value === 1 ? '' : 's'}`;
}

/** Field errors of a token's IP restrictions, by index (empty: acceptable). */
function ipRestrictionErrors(entries: readonly string[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const seen = new Set<string>();
  entries.forEach((raw, index) => {
    // Validate what was typed (010.0.0.0/8 must not pass as its canonical 8.0.0.0/8), then compare
    // canonical forms (2001:DB8:0::1 is 2001:db8::1).
    const error = ipEntryError(raw.trim());
    const entry = normaliseIpEntry(raw);
    if (error) errors[`ipRestrictions.${index}`] = error;
    else if (seen.has(entry)) errors[`ipRestrictions.${index}`] = `${entry} is listed twice.`;
    seen.add(entry);
  });
  return errors;
}

/** Why an expiry chosen at `now` breaks the token policy, or null. */
function expiryError(expiresAt: string | null, settings: Settings, now: Date): string | null {
  const policy = settings.authentication.tokenPolicy;
  const latest = latestExpiry(policy.maxValidity, now);
  const limit = describeMaxValidity(policy.maxValidity);
  if (expiresAt === null) {
    return latest === null
      ? null
      : `This token must expire: the policy allows at most ${limit} (until ${latest.toISOString()}).`;
  }
  const expires = Date.parse(expiresAt);
  if (expires <= now.getTime()) return 'The expiry must be in the future.';
  if (latest !== null && expires > latest.getTime() + EXPIRY_TOLERANCE_MS) {
    return `Too far in the future: the policy allows at most ${limit}, until ${latest.toISOString()}.`;
  }
  return null;
}

/** Field errors of the token policy and the IP entries of a create request (empty: acceptable). */
export function createRequestErrors(
  input: CreateTokenRequest,
  caller: User,
  settings: Settings,
  now: Date,
): Record<string, string> {
  const errors = ipRestrictionErrors(input.ipRestrictions);
  const expiry = expiryError(input.expiresAt, settings, now);
  if (expiry) errors.expiresAt = expiry;
  // The policy narrows what regular users may ask for; administrators keep both scopes.
  const policy = settings.authentication.tokenPolicy;
  if (policy.forceReadOnlyForRegularUsers && caller.role !== 'admin' && input.scope === 'READ_WRITE') {
    errors.scope = 'The policy allows Read Only tokens only.';
  }
  return errors;
}

/**
 * What an edit changes, as the store takes it (normalised; unchanged fields left out), or field errors.
 * A new expiry is held to the policy as a new token's would be; an expiry left as it was is not, so
 * that a tightened policy does not stop other edits.
 */
export function tokenChanges(
  input: UpdateTokenRequest,
  token: Token,
  settings: Settings,
  now: Date,
): { changes: TokenChanges; errors: Record<string, string> } {
  const changes: TokenChanges = {};
  const errors: Record<string, string> = {};
  if (input.description !== undefined && input.description !== token.description) {
    changes.description = input.description;
  }
  if (input.expiresAt !== undefined) {
    const expiresAt = input.expiresAt === null ? null : new Date(input.expiresAt).toISOString();
    if (expiresAt !== token.expiresAt) {
      const error = expiryError(expiresAt, settings, now);
      if (error) errors.expiresAt = error;
      changes.expiresAt = expiresAt;
    }
  }
  if (input.ipRestrictions !== undefined) {
    Object.assign(errors, ipRestrictionErrors(input.ipRestrictions));
    const entries = input.ipRestrictions.map(normaliseIpEntry);
    if (entries.join() !== token.ipRestrictions.join()) changes.ipRestrictions = entries;
  }
  return { changes, errors };
}
