import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { SECRET_SHAPED, TOKEN_SECRET_PREFIX } from '../../contract/tokens';

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

export const REDACTED_SECRET = `${TOKEN_SECRET_PREFIX}[redacted]`;

/**
 * `text` with everything shaped like one of our secrets redacted: whatever field a client puts a
 * secret in (a Basic username, the path, …), it never reaches a log line or an audit record.
 */
export function redactSecrets(text: string): string {
  return text.includes(TOKEN_SECRET_PREFIX) ? text.replace(SECRET_SHAPED, REDACTED_SECRET) : text;
}

/** A fast hash is enough for a high-entropy secret; the backend stores only this. */
export function hashSecret(secret: string): string {
  return nodeCrypto ? sha256HexNode(nodeCrypto, secret) : sha256HexPortable(secret);
}

interface NodeCrypto {
  /** One-shot digest (Node 20.12+): a third of createHash's time for a short input. */
  hash?(algorithm: 'sha256', data: string, outputEncoding: 'hex'): string;
  createHash(algorithm: 'sha256'): {
    update(data: string, encoding: 'utf8'): { digest(encoding: 'hex'): string };
  };
}

/**
 * Node's own SHA-256 where the backend runs on Node (the real server: it hashes the secret of every
 * token request, and node:crypto is several times faster); the browser demo has no synchronous
 * digest, so it uses @noble/hashes. Both give the same hex digest.
 */
const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;

export const sha256HexNode = (crypto: NodeCrypto, text: string) =>
  crypto.hash
    ? crypto.hash('sha256', text, 'hex')
    : crypto.createHash('sha256').update(text, 'utf8').digest('hex');

export const sha256HexPortable = (text: string) => bytesToHex(sha256(utf8ToBytes(text)));

/** Which implementation hashSecret uses here (for the tests). */
export const SECRET_HASH_IMPLEMENTATION = nodeCrypto ? 'node:crypto' : '@noble/hashes';

/** Compares two equal-length hex hashes in constant time. */
export function hashesEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
