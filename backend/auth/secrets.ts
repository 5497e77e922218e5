import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { TOKEN_SECRET_PREFIX } from '../../contract/tokens';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 40 base62 characters: about 238 bits of entropy. */
export const SECRET_BODY_LENGTH = 40;

/**
 * A new token secret: the recognisable prefix and 40 random base62 characters.
 * `randomBytes` is injectable so that the demo seed can derive deterministic secrets.
 */
export function generateSecret(
  randomBytes: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n)),
): string {
  let body = '';
  while (body.length < SECRET_BODY_LENGTH) {
    for (const byte of randomBytes(SECRET_BODY_LENGTH)) {
      // Rejection sampling keeps every character equally likely (248 = 4 * 62).
      if (byte < 248 && body.length < SECRET_BODY_LENGTH) body += ALPHABET[byte % 62];
    }
  }
  return TOKEN_SECRET_PREFIX + body;
}

/** A fast hash is enough for a high-entropy secret; the backend stores only this. */
export function hashSecret(secret: string): string {
  return bytesToHex(sha256(utf8ToBytes(secret)));
}

/** Compares two equal-length hex hashes in constant time. */
export function hashesEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
