import { createHash, hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateSecret,
  hashesEqual,
  hashSecret,
  redactSecrets,
  SECRET_HASH_IMPLEMENTATION,
  sha256HexNode,
  sha256HexPortable,
} from './secrets';

// FIPS 180-2 test vectors, a generated secret, and UTF-8 beyond ASCII.
const VECTORS: [string, string][] = [
  ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  [
    'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  ],
];

describe('hashSecret', () => {
  it('uses node:crypto on Node (the real server), @noble/hashes in the browser', () => {
    expect(SECRET_HASH_IMPLEMENTATION).toBe('node:crypto');
  });

  it.each(VECTORS)('gives the SHA-256 hex digest of %j in both implementations', (text, digest) => {
    expect(hashSecret(text)).toBe(digest);
    expect(sha256HexPortable(text)).toBe(digest);
    expect(sha256HexNode({ createHash: (a) => createHash(a) }, text)).toBe(digest);
    expect(sha256HexNode({ hash, createHash: (a) => createHash(a) }, text)).toBe(digest);
  });

  it('hashes a token secret and non-ASCII text the same in both implementations', () => {
    for (const text of [generateSecret(), 'ünïcödé 🔑 秘密', 'a\u0000b']) {
      expect(hashSecret(text)).toBe(sha256HexPortable(text));
      expect(hashSecret(text)).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('compares hashes: equal only when equal', () => {
    const a = hashSecret('one');
    expect(hashesEqual(a, hashSecret('one'))).toBe(true);
    expect(hashesEqual(a, hashSecret('two'))).toBe(false);
    expect(hashesEqual(a, a.slice(1))).toBe(false);
  });
});

describe('redactSecrets', () => {
  it.each([
    { text: 'atc_0123456789abcdefghijABCDEFGHIJ0123456789', redacted: 'atc_[redacted]' },
    { text: 'user atc_01234567 and atc_abcdefgh!', redacted: 'user atc_[redacted] and atc_[redacted]!' },
    { text: 'atc_1234567 atc_ atc_session', redacted: 'atc_1234567 atc_ atc_session' },
    { text: 'atc_[redacted]', redacted: 'atc_[redacted]' },
  ])('$text → $redacted', ({ text, redacted }) => {
    expect(redactSecrets(text)).toBe(redacted);
  });

  it('redacts every generated secret', () => {
    const secret = generateSecret();
    expect(redactSecrets(`x${secret}x`)).toBe('xatc_[redacted]');
  });
});
