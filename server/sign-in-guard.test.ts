// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import type { User } from '../contract/users';
import type { PasswordCheck } from '../backend/http/context';
import type { NewAuditRecord } from '../backend/store/port';
import * as passwords from './passwords';
import {
  ADDRESS_LOCKOUT,
  CHECKS_AT_ONCE,
  FAILURE_DELAY_MS,
  FailureCounter,
  LOCKOUT_CAPACITY,
  MAX_WAITING_CHECKS,
  SignInGuard,
  USERNAME_LOCKOUT,
} from './sign-in-guard';

// The real scrypt check, watched: which hash each check ran against.
vi.mock('./passwords', { spy: true });

const MINUTE = 60_000;
const T0 = Date.parse('2026-11-26T10:00:00.000Z');

describe('FailureCounter: Keycloak’s brute-force detection, by multiples', () => {
  it('locks a key for a minute after 5 failures, 2 minutes after 10, … at most 15 minutes', () => {
    const counter = new FailureCounter(USERNAME_LOCKOUT);
    const locks: number[] = [];
    let now = T0;
    for (let failure = 1; failure <= 100; failure++) {
      const lock = counter.fail('jdoe', now);
      if (lock > 0) {
        locks.push(lock / MINUTE);
        expect(counter.lockedFor('jdoe', now)).toBe(lock);
        now += lock; // the next attempt comes once the lock is over
        expect(counter.lockedFor('jdoe', now)).toBe(0);
      } else {
        expect(counter.lockedFor('jdoe', now)).toBe(0);
      }
      now += 1000;
    }
    expect(locks).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 15, 15, 15, 15, 15]);
  });

  it('starts from zero after the right password, and after 12 hours without a failure', () => {
    const counter = new FailureCounter(USERNAME_LOCKOUT);
    for (let i = 0; i < 4; i++) counter.fail('jdoe', T0);
    counter.succeed('jdoe');
    for (let i = 0; i < 4; i++) expect(counter.fail('jdoe', T0)).toBe(0);
    expect(counter.fail('jdoe', T0 + 12 * 60 * MINUTE + 1)).toBe(0);
    for (let i = 0; i < 3; i++) counter.fail('jdoe', T0 + 12 * 60 * MINUTE + 2);
    expect(counter.fail('jdoe', T0 + 12 * 60 * MINUTE + 3)).toBe(MINUTE);
  });

  it('keeps each key on its own, and gives an address more room than a username', () => {
    const byAddress = new FailureCounter(ADDRESS_LOCKOUT);
    for (let i = 1; i < ADDRESS_LOCKOUT.maxFailures; i++) expect(byAddress.fail('203.0.113.9', T0)).toBe(0);
    expect(byAddress.lockedFor('203.0.113.10', T0)).toBe(0);
    expect(byAddress.fail('203.0.113.9', T0)).toBe(MINUTE);
  });

  it('remembers at most its capacity of keys, dropping the least recently failed', () => {
    const counter = new FailureCounter(USERNAME_LOCKOUT);
    for (let i = 0; i < 5; i++) counter.fail('locked-first', T0);
    for (let i = 0; i < LOCKOUT_CAPACITY + 5_000; i++) counter.fail(`user-${i}`, T0 + 1);
    expect(counter.size).toBe(LOCKOUT_CAPACITY);
    expect(counter.lockedFor('locked-first', T0 + 2)).toBe(0);
    counter.fail(`user-${LOCKOUT_CAPACITY + 4_999}`, T0 + 2);
    expect(counter.size).toBe(LOCKOUT_CAPACITY);
  });
});

describe('SignInGuard', () => {
  const JDOE: User = {
    key: 'jdoe',
    username: 'jdoe',
    displayName: 'John Doe',
    email: 'jdoe@example.com',
    groups: [],
    role: 'user',
  };
  const SOURCE = {
    clientIp: '203.0.113.9',
    proxyIp: null,
    nodeId: 'node-1',
    method: 'POST',
    endpoint: '/rest/api-token-auth/1.0/session',
  };

  function guard() {
    const hash = passwords.hashPassword('right');
    const audited: NewAuditRecord[] = [];
    let now = T0;
    const signIn = new SignInGuard({
      getPasswordHash: async (username) => (username === 'jdoe' ? hash : null),
      findUserByUsername: async (username) => (username === 'jdoe' ? JDOE : undefined),
      appendAuditRecords: async (records) => audited.push(...records),
      now: () => new Date(now),
      failureDelayMs: 0,
    });
    return { signIn, hash, audited, advance: (ms: number) => (now += ms) };
  }

  it('checks an unknown username against the dummy hash: the same scrypt work as a wrong password', async () => {
    const { signIn, hash } = guard();
    vi.mocked(passwords.verifyPassword).mockClear();
    expect(await signIn.check('jdoe', 'wrong', SOURCE)).toEqual({ kind: 'invalid' });
    expect(await signIn.check('nobody', 'wrong', SOURCE)).toEqual({ kind: 'invalid' });
    expect(vi.mocked(passwords.verifyPassword).mock.calls).toEqual([
      ['wrong', hash],
      ['wrong', passwords.DUMMY_HASH],
    ]);
  });

  it('locks the username after 5 wrong passwords: refused unchecked, even the right one, with the wait; one audit record', async () => {
    const { signIn, audited, advance } = guard();
    for (let i = 0; i < 5; i++)
      expect(await signIn.check('jdoe', `wrong ${i}`, SOURCE)).toEqual({ kind: 'invalid' });
    vi.mocked(passwords.verifyPassword).mockClear();
    expect(await signIn.check('jdoe', 'right', SOURCE)).toEqual({ kind: 'locked', retryAfterSeconds: 60 });
    advance(45_000);
    expect(await signIn.check('jdoe', 'right', SOURCE)).toEqual({ kind: 'locked', retryAfterSeconds: 15 });
    expect(passwords.verifyPassword).not.toHaveBeenCalled();
    expect(audited).toEqual([
      {
        timestamp: new Date(T0).toISOString(),
        author: { username: null, displayName: 'Brute-force detection' },
        category: 'Sign-in',
        summary: 'Sign-in temporarily locked',
        affectedObjects: [{ type: 'user', id: 'jdoe', name: 'jdoe' }],
        changedValues: [
          {
            field: 'Sign-ins of this user locked until',
            from: null,
            to: new Date(T0 + MINUTE).toISOString(),
          },
        ],
        source: { clientIp: '203.0.113.9', proxyIp: null, nodeId: 'node-1', method: 'POST' },
        details: { endpoint: SOURCE.endpoint, reason: 'TOO_MANY_FAILURES', username: 'jdoe' },
      },
    ]);
    advance(15_000);
    expect(await signIn.check('jdoe', 'right', SOURCE)).toEqual({ kind: 'valid' });
  });

  it('locks an address that tries many usernames, and only that address (an IPv6 client by its /64)', async () => {
    const { signIn, audited } = guard();
    const v6 = { ...SOURCE, clientIp: '2001:db8:1:2::1' };
    for (let i = 0; i < ADDRESS_LOCKOUT.maxFailures; i++) {
      await signIn.check(`user-${i}`, 'wrong', { ...v6, clientIp: `2001:db8:1:2::${i.toString(16)}` });
    }
    expect(await signIn.check('jdoe', 'right', { ...v6, clientIp: '2001:db8:1:2:ffff::9' })).toEqual({
      kind: 'locked',
      retryAfterSeconds: 60,
    });
    expect(await signIn.check('jdoe', 'right', { ...v6, clientIp: '2001:db8:1:3::1' })).toEqual({
      kind: 'valid',
    });
    expect(audited.map((r) => [r.summary, r.changedValues[0]?.field, r.details.username])).toEqual([
      ['Sign-in temporarily locked', 'Sign-ins from this address locked until', undefined],
    ]);
  });
});

describe('SignInGuard under a flood of password checks', () => {
  it(`hashes at most CHECKS_AT_ONCE at a time (cores stay free for the event loop); beyond ${MAX_WAITING_CHECKS} waiting, answers busy unchecked`, async () => {
    let running = 0;
    let most = 0;
    vi.mocked(passwords.verifyPassword).mockImplementation(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((done) => setTimeout(done, 10));
      running--;
      return false;
    });
    try {
      const signIn = new SignInGuard({
        getPasswordHash: async () => null,
        findUserByUsername: async () => undefined,
        appendAuditRecords: async () => {},
        now: () => new Date(T0),
        failureDelayMs: 0,
      });
      const attempts = CHECKS_AT_ONCE + MAX_WAITING_CHECKS + 10;
      const answers = await Promise.all(
        Array.from({ length: attempts }, (_, i) =>
          signIn.check(`user-${i}`, 'guess', {
            clientIp: `198.51.100.${i}`,
            proxyIp: null,
            nodeId: 'node-1',
            method: 'GET',
            endpoint: '/rest/api/2/myself',
          }),
        ),
      );
      expect(most).toBe(CHECKS_AT_ONCE);
      const busy = answers.filter((answer) => answer.kind === 'busy').length;
      expect(busy).toBeGreaterThanOrEqual(10);
      expect(answers.filter((answer) => answer.kind === 'invalid')).toHaveLength(attempts - busy);
    } finally {
      vi.mocked(passwords.verifyPassword).mockRestore();
    }
  });
});

describe('SignInGuard’s delay', () => {
  it('answers a wrong or locked password after FAILURE_DELAY_MS, the right one at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    vi.mocked(passwords.verifyPassword).mockImplementation((password) =>
      Promise.resolve(password === 'right'),
    );
    try {
      const signIn = new SignInGuard({
        getPasswordHash: async () => 'a hash',
        findUserByUsername: async () => undefined,
        appendAuditRecords: async () => {},
        now: () => new Date(T0),
      });
      const source = {
        clientIp: '203.0.113.9',
        proxyIp: null,
        nodeId: 'node-1',
        method: 'GET',
        endpoint: '/x',
      };
      let answer: PasswordCheck | undefined;
      void signIn.check('jdoe', 'wrong', source).then((a) => (answer = a));
      await vi.advanceTimersByTimeAsync(FAILURE_DELAY_MS - 1);
      expect(answer).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(answer).toEqual({ kind: 'invalid' });
      expect(await signIn.check('jdoe', 'right', source)).toEqual({ kind: 'valid' });
    } finally {
      vi.useRealTimers();
      vi.mocked(passwords.verifyPassword).mockRestore();
    }
  });
});

describe('verifyPassword', () => {
  it('hashes off the event loop: other work runs while scrypt does', async () => {
    const hash = passwords.hashPassword('right');
    let turns = 0;
    let checking = true;
    const count = () => {
      turns++;
      if (checking) setImmediate(count);
    };
    setImmediate(count);
    const matches = await passwords.verifyPassword('wrong', hash);
    checking = false;
    expect(matches).toBe(false);
    // scrypt with N = 2^15 takes tens of milliseconds: the event loop went round meanwhile.
    expect(turns).toBeGreaterThan(1);
    expect(await passwords.verifyPassword('right', hash)).toBe(true);
  });
});
