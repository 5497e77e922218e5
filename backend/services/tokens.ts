import {
  AUDIT_CATEGORY,
  type AffectedObject,
  type AuditEvent,
  type ChangedValue,
  type Credential,
} from '../../contract/audit';
import { ipEntryError, normaliseIpEntry } from '../../contract/ip';
import type { MaxValidity, Settings } from '../../contract/settings';
import {
  EXPIRY_TOLERANCE_MS,
  latestExpiry,
  SCOPE_LABELS,
  type CreateTokenRequest,
  type DirectoryUser,
  type Token,
  type UpdateTokenRequest,
} from '../../contract/tokens';
import type { User } from '../../contract/users';
import type { ClientInfo } from '../http/context';
import { HttpProblem } from '../http/problem';
import { generateSecret, hashSecret } from '../auth/secrets';
import type { NewAuditRecord, Store, StoredToken, TokenChanges } from '../store/port';

/** A token as the API answers it: never with the hashes of its secrets. */
export function publicToken(stored: StoredToken): Token {
  const { secretHash: _secret, previousSecretHash: _previous, ...token } = stored;
  return token;
}

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 12;

/** A new token id: "tok_" and 12 random base36 characters (rejection sampling keeps them uniform). */
export function newTokenId(): string {
  let body = '';
  while (body.length < ID_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(ID_LENGTH))) {
      // 252 = 7 * 36
      if (byte < 252 && body.length < ID_LENGTH) body += ID_ALPHABET[byte % 36];
    }
  }
  return `tok_${body}`;
}

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

/** Creates the token (the request already validated and authorised); answers it and its secret, once. */
export async function createToken(
  store: Store,
  input: CreateTokenRequest,
  owner: User,
  caller: User,
  now: Date,
): Promise<{ stored: StoredToken; secret: string }> {
  const secret = generateSecret();
  const stored: StoredToken = {
    id: newTokenId(),
    ownerKey: owner.key,
    ownerUsername: owner.username,
    description: input.description,
    scope: input.scope,
    createdAt: now.toISOString(),
    createdBy: caller.username,
    expiresAt: input.expiresAt === null ? null : new Date(input.expiresAt).toISOString(),
    lastUsedAt: null,
    lastUsedIp: null,
    ipRestrictions: input.ipRestrictions.map(normaliseIpEntry),
    secretHash: hashSecret(secret),
    previousSecretHash: null,
    previousSecretExpiresAt: null,
  };
  await store.insertToken(stored);
  return { stored, secret };
}

/**
 * Gives the token a new secret; the one it had keeps working for `gracePeriodMinutes` (0: stops at
 * once). Answers the token and its new secret, once.
 */
export async function rotateToken(
  store: Store,
  token: StoredToken,
  gracePeriodMinutes: number,
  now: Date,
): Promise<{ stored: StoredToken; secret: string }> {
  const secret = generateSecret();
  const previousSecretExpiresAt =
    gracePeriodMinutes === 0 ? null : new Date(now.getTime() + gracePeriodMinutes * 60_000).toISOString();
  const stored = await store.rotateTokenSecret(token.id, hashSecret(secret), previousSecretExpiresAt);
  if (!stored) throw new HttpProblem(404, 'Not Found', 'No such token.');
  return { stored, secret };
}

/** Where an audited request came from: the acting user, how they proved who they are, and the request. */
export interface AuditSource {
  actor: User;
  credential: Credential | null;
  client: ClientInfo;
  method: string;
  endpoint: string;
  at: Date;
}

const userObject = (user: Pick<User, 'key' | 'username'>): AffectedObject => ({
  type: 'user',
  id: user.key,
  name: user.username,
});
const tokenObject = (token: Token): AffectedObject => ({
  type: 'token',
  id: token.id,
  name: token.description,
});

/** The properties of a token as the audit log shows them. */
function tokenValues(token: Token): [string, string][] {
  return [
    ['Description', token.description],
    ['Scope', SCOPE_LABELS[token.scope]],
    ['Expires', token.expiresAt ?? 'Never'],
    ['IP restrictions', token.ipRestrictions.length > 0 ? token.ipRestrictions.join(', ') : '(none)'],
  ];
}

function record(
  summary: AuditEvent,
  source: AuditSource,
  affectedObjects: AffectedObject[],
  changedValues: ChangedValue[],
  details: NewAuditRecord['details'],
): NewAuditRecord {
  return {
    timestamp: source.at.toISOString(),
    author: { username: source.actor.username, displayName: source.actor.displayName },
    category: AUDIT_CATEGORY,
    summary,
    affectedObjects,
    changedValues,
    source: {
      clientIp: source.client.clientIp,
      proxyIp: source.client.proxyIp,
      nodeId: source.client.nodeId,
      method: source.method,
    },
    details: {
      ...details,
      endpoint: source.endpoint,
      ...(source.credential && { credential: source.credential }),
    },
  };
}

const tokenDetails = (token: Token): NewAuditRecord['details'] => ({
  tokenId: token.id,
  tokenDescription: token.description,
  scope: token.scope,
  username: token.ownerUsername,
});

/**
 * "API token created" / "API token deleted": always written, whatever the Audit Logging options, with
 * the token id so that a revocation can be matched to its creation.
 */
export function tokenAuditRecord(
  summary: 'API token created' | 'API token deleted',
  token: Token,
  owner: Pick<User, 'key' | 'username'>,
  source: AuditSource,
): NewAuditRecord {
  const created = summary === 'API token created';
  return record(
    summary,
    source,
    [userObject(owner), tokenObject(token)],
    tokenValues(token).map(([field, value]) => ({
      field,
      from: created ? null : value,
      to: created ? value : null,
    })),
    tokenDetails(token),
  );
}

/** "API token updated": the values that changed, old → new. */
export function tokenUpdatedRecord(
  before: Token,
  after: Token,
  owner: Pick<User, 'key' | 'username'>,
  source: AuditSource,
): NewAuditRecord {
  const old = new Map(tokenValues(before));
  return record(
    'API token updated',
    source,
    [userObject(owner), tokenObject(after)],
    tokenValues(after)
      .filter(([field, value]) => old.get(field) !== value)
      .map(([field, value]) => ({ field, from: old.get(field) ?? null, to: value })),
    tokenDetails(after),
  );
}

/**
 * "API token rotated": the token got a new secret (its settings unchanged); until when the previous
 * secret works. The secrets themselves are never recorded.
 */
export function tokenRotatedRecord(
  token: Token,
  owner: Pick<User, 'key' | 'username'>,
  source: AuditSource,
): NewAuditRecord {
  return record(
    'API token rotated',
    source,
    [userObject(owner), tokenObject(token)],
    [
      { field: 'Secret', from: 'previous secret', to: 'new secret' },
      {
        field: 'Previous secret works until',
        from: null,
        to: token.previousSecretExpiresAt ?? 'Stopped at once',
      },
    ],
    tokenDetails(token),
  );
}

/** "All API tokens of a user deleted": the user and every deleted token. */
export function allTokensDeletedRecord(
  owner: Pick<User, 'key' | 'username'>,
  deleted: readonly Token[],
  source: AuditSource,
): NewAuditRecord {
  return record(
    'All API tokens of a user deleted',
    source,
    [userObject(owner), ...deleted.map(tokenObject)],
    [{ field: 'Tokens', from: String(deleted.length), to: '0' }],
    { username: owner.username },
  );
}

export const MAX_DIRECTORY_USERS = 20;

/** Users whose username or display name contains `query` (case-insensitive), at most 20. */
export function searchUsers(users: readonly User[], query: string): DirectoryUser[] {
  const q = query.trim().toLowerCase();
  const result: DirectoryUser[] = [];
  for (const user of users) {
    if (result.length >= MAX_DIRECTORY_USERS) break;
    if (q && !user.username.toLowerCase().includes(q) && !user.displayName.toLowerCase().includes(q))
      continue;
    result.push({ key: user.key, username: user.username, displayName: user.displayName });
  }
  return result;
}
