import { normaliseIpEntry } from '../../contract/ip';
import type { CreateTokenRequest, Token } from '../../contract/tokens';
import type { User } from '../../contract/users';
import { generateSecret, hashSecret } from '../auth/secrets';
import { HttpProblem } from '../http/problem';
import type { Store, StoredToken } from '../store/port';

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
