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
} from '../../contract/tokens';
import type { User } from '../../contract/users';
import type { ClientInfo } from '../http/context';
import { generateSecret, hashSecret } from '../auth/secrets';
import type { NewAuditRecord, Store, StoredToken } from '../store/port';

/** A token as the API answers it: never with the hash of its secret. */
export function publicToken(stored: StoredToken): Token {
  const { secretHash, ...token } = stored;
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
  };
  await store.insertToken(stored);
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
