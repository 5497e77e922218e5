/** The store contract's tokens: see store-contract.ts. */
import { describe, expect, it } from 'vitest';
import type { Store, TokenListFilter } from '../port';
import { data, DAY, HOUR, iso, NOW } from './data-set';
import { BASE_TOKEN_FILTER, expectedTokenIds, newToken } from './references';

export function describeTokenContract(create: () => Promise<Store>): void {
  describe('tokens', () => {
    it('finds a token by id and by secret hash', async () => {
      const store = await create();
      const token = data.tokens[5]!;
      expect(await store.getToken(token.id)).toEqual(token);
      expect(await store.findTokenByHash(token.secretHash)).toEqual(token);
      expect(await store.getToken('nope')).toBeUndefined();
      expect(await store.findTokenByHash('nope')).toBeUndefined();
    });

    it('inserts a token, and refuses an existing id', async () => {
      const store = await create();
      const token = newToken();
      await store.insertToken(token);
      expect(await store.getToken('tok-new')).toEqual(token);
      expect(await store.findTokenByHash('hash-new')).toEqual(token);
      expect(await store.listTokens({ ...BASE_TOKEN_FILTER, ownerKey: 'U6' })).toEqual({
        items: [token],
        total: 1,
      });
      await expect(store.insertToken(newToken({ secretHash: 'other' }))).rejects.toThrow(/exists/);
    });

    it('records a use', async () => {
      const store = await create();
      const token = data.tokens[0]!;
      expect(token.lastUsedAt).toBeNull();
      // Found first: a store that caches what it found must not answer from a stale copy.
      expect(await store.findTokenByHash(token.secretHash)).toEqual(token);
      await store.recordTokenUse(token.id, '2026-11-25T12:30:00.000Z', '198.51.100.9');
      const used = { ...token, lastUsedAt: '2026-11-25T12:30:00.000Z', lastUsedIp: '198.51.100.9' };
      expect(await store.getToken(token.id)).toEqual(used);
      expect(await store.findTokenByHash(token.secretHash)).toEqual(used);
      const filter = { ...BASE_TOKEN_FILTER, neverUsed: true };
      expect((await store.listTokens(filter)).items.map((t) => t.id)).not.toContain(token.id);
      await store.recordTokenUse('nope', '2026-11-25T12:30:00.000Z', '198.51.100.9');
      expect(await store.getToken('nope')).toBeUndefined();
    });

    it('updates a token: only the fields given, and lists it by its new values', async () => {
      const store = await create();
      const token = data.tokens[3]!;
      expect(await store.findTokenByHash(token.secretHash)).toEqual(token);
      expect(await store.updateToken(token.id, { description: 'Renamed' })).toEqual({
        ...token,
        description: 'Renamed',
      });
      const changes = { expiresAt: null, ipRestrictions: ['192.0.2.0/24', '2001:db8::1'] };
      const updated = { ...token, description: 'Renamed', ...changes };
      expect(await store.updateToken(token.id, changes)).toEqual(updated);
      expect(await store.getToken(token.id)).toEqual(updated);
      expect(await store.findTokenByHash(token.secretHash)).toEqual(updated);
      // The new expiry is what the filters and the sort see.
      const noExpiry = (await store.listTokens({ ...BASE_TOKEN_FILTER, status: ['noExpiry'] })).items;
      expect(noExpiry.map((t) => t.id)).toContain(token.id);
      const soonest = { ...BASE_TOKEN_FILTER, sort: 'expiresAt' as const, order: 'asc' as const };
      await store.updateToken(token.id, { expiresAt: iso(NOW.getTime() - 100 * DAY) });
      expect((await store.listTokens(soonest)).items[0]?.id).toBe(token.id);
      expect(await store.updateToken('nope', { description: 'x' })).toBeUndefined();
    });

    it('rotates a secret: the new one finds the token, the previous one only with a grace period', async () => {
      const store = await create();
      const token = data.tokens[2]!;
      expect(await store.findTokenByHash(token.secretHash)).toEqual(token);
      const until = iso(NOW.getTime() + DAY);
      const graced = {
        ...token,
        secretHash: 'rotated-1',
        previousSecretHash: token.secretHash,
        previousSecretExpiresAt: until,
      };
      expect(await store.rotateTokenSecret(token.id, 'rotated-1', until)).toEqual(graced);
      expect(await store.getToken(token.id)).toEqual(graced);
      expect(await store.findTokenByHash('rotated-1')).toEqual(graced);
      expect(await store.findTokenByHash(token.secretHash)).toEqual(graced);

      // Again, at once: the secret of the first rotation stops, and so does the one before it.
      const atOnce = {
        ...token,
        secretHash: 'rotated-2',
        previousSecretHash: null,
        previousSecretExpiresAt: null,
      };
      expect(await store.rotateTokenSecret(token.id, 'rotated-2', null)).toEqual(atOnce);
      expect(await store.findTokenByHash('rotated-2')).toEqual(atOnce);
      expect(await store.findTokenByHash('rotated-1')).toBeUndefined();
      expect(await store.findTokenByHash(token.secretHash)).toBeUndefined();
      expect(await store.rotateTokenSecret('nope', 'rotated-3', null)).toBeUndefined();
      expect(await store.findTokenByHash('rotated-3')).toBeUndefined();
    });

    it('finds a token rotated before by its previous secret, until it is rotated or deleted', async () => {
      const store = await create();
      const token = data.tokens.find((t) => t.previousSecretHash !== null)!;
      expect(await store.findTokenByHash(token.previousSecretHash!)).toEqual(token);
      expect(await store.findTokenByHash(token.secretHash)).toEqual(token);
      // A third rotation with a grace period keeps only the secret just replaced.
      const until = iso(NOW.getTime() + 2 * DAY);
      await store.rotateTokenSecret(token.id, 'rotated', until);
      expect(await store.findTokenByHash(token.previousSecretHash!)).toBeUndefined();
      expect((await store.findTokenByHash(token.secretHash))?.previousSecretExpiresAt).toBe(until);
      await store.deleteToken(token.id);
      expect(await store.findTokenByHash(token.secretHash)).toBeUndefined();
      expect(await store.findTokenByHash('rotated')).toBeUndefined();
    });

    it('deletes a token: its secret no longer finds it', async () => {
      const store = await create();
      const token = data.tokens[8]!;
      expect(await store.findTokenByHash(token.secretHash)).toEqual(token);
      expect(await store.deleteToken(token.id)).toEqual(token);
      expect(await store.getToken(token.id)).toBeUndefined();
      expect(await store.findTokenByHash(token.secretHash)).toBeUndefined();
      expect(await store.deleteToken(token.id)).toBeUndefined();
      expect((await store.listTokens(BASE_TOKEN_FILTER)).total).toBe(data.tokens.length - 1);
    });

    it('deletes every token of a user', async () => {
      const store = await create();
      await store.insertToken(newToken({ ownerKey: 'U3', ownerUsername: 'jdoe' }));
      const expected = [...data.tokens.filter((t) => t.ownerKey === 'U3'), await store.getToken('tok-new')];
      for (const token of expected) expect(await store.findTokenByHash(token!.secretHash)).toEqual(token);
      const deleted = await store.deleteTokensOfUser('U3');
      expect(deleted).toEqual(expected);
      for (const token of deleted) expect(await store.findTokenByHash(token.secretHash)).toBeUndefined();
      expect(await store.listTokens({ ...BASE_TOKEN_FILTER, ownerKey: 'U3' })).toEqual({
        items: [],
        total: 0,
      });
      expect(await store.deleteTokensOfUser('U3')).toEqual([]);
      expect((await store.listTokens(BASE_TOKEN_FILTER)).total).toBe(data.tokens.length + 1 - deleted.length);
    });

    const day = (offset: number) => iso(NOW.getTime() + offset * DAY);
    const FILTERS: [string, Partial<TokenListFilter>][] = [
      ['nothing', {}],
      ['own tokens', { ownerKey: 'U3' }],
      ['owners', { owner: ['jdoe', 'önder'] }],
      ['an owner without tokens', { owner: ['nobody'] }],
      ['scope', { scope: 'READ_ONLY' }],
      ['scope (read & write)', { scope: 'READ_WRITE' }],
      ['status active', { status: ['active'] }],
      ['status expiring', { status: ['expiring'] }],
      ['status expired', { status: ['expired'] }],
      ['status expiring or expired', { status: ['expiring', 'expired'] }],
      ['every status', { status: ['active', 'expiring', 'expired'] }],
      ['no expiry', { status: ['noExpiry'] }],
      ['no expiry or expired', { status: ['noExpiry', 'expired'] }],
      ['no expiry or active (no expiry is active too)', { status: ['noExpiry', 'active'] }],
      ['a shorter warning window', { status: ['expiring'], expiryWarningDays: 7 }],
      ['text, any case', { q: 'äpfel' }],
      ['text, upper case', { q: 'BACKUP' }],
      ['text inside', { q: 'n 1' }],
      ['text matching nothing', { q: 'zzz' }],
      ['empty text', { q: '' }],
      ['never used', { neverUsed: true }],
      ['created from', { createdFrom: day(-5) }],
      ['created up to', { createdTo: day(-10) }],
      ['created between (inclusive)', { createdFrom: day(-12), createdTo: day(-4) }],
      [
        'created, without milliseconds',
        { createdFrom: '2026-11-21T12:00:00Z', createdTo: '2026-11-21T12:00:00Z' },
      ],
      ['last used from', { lastUsedFrom: iso(NOW.getTime() - 4 * HOUR) }],
      ['last used up to', { lastUsedTo: iso(NOW.getTime() - 4 * HOUR) }],
      ['expires from', { expiresFrom: NOW.toISOString() }],
      ['expires up to', { expiresTo: day(14) }],
      ['expires between', { expiresFrom: day(-3), expiresTo: day(5) }],
      [
        'everything at once',
        {
          owner: ['admin', 'jdoe', 'önder', 'automation-user'],
          scope: 'READ_WRITE',
          status: ['active', 'expiring'],
          q: 'token',
          createdFrom: day(-30),
          lastUsedFrom: day(-1),
        },
      ],
    ];

    it.each(FILTERS)('lists with a filter: %s', async (_, fields) => {
      const store = await create();
      const filter = { ...BASE_TOKEN_FILTER, ...fields };
      const expected = expectedTokenIds(data.tokens, filter);
      const { items, total } = await store.listTokens(filter);
      expect(items.map((t) => t.id)).toEqual(expected);
      expect(total).toBe(expected.length);
    });

    it('has tokens of every status, never used and with equal dates (the data set is what the filters need)', () => {
      const ids = (fields: Partial<TokenListFilter>) =>
        expectedTokenIds(data.tokens, { ...BASE_TOKEN_FILTER, ...fields });
      expect(ids({ status: ['active'] }).length).toBeGreaterThan(5);
      expect(ids({ status: ['expiring'] }).length).toBeGreaterThan(5);
      expect(ids({ status: ['expired'] }).length).toBeGreaterThan(5);
      expect(ids({ neverUsed: true })).toHaveLength(10);
      expect(ids({ q: 'äpfel' })).toHaveLength(8);
      expect(new Set(data.tokens.map((t) => t.createdAt)).size).toBeLessThan(data.tokens.length);
    });

    describe.each(['createdAt', 'expiresAt', 'lastUsedAt'] as const)('sorted by %s', (sort) => {
      it.each(['asc', 'desc'] as const)('%s: "Never" where the word puts it, pages of 7', async (order) => {
        const store = await create();
        const filter = { ...BASE_TOKEN_FILTER, sort, order };
        const expected = expectedTokenIds(data.tokens, filter);
        const nulls = data.tokens.filter((t) => t[sort] === null).length;
        // Never expires: after every date (first when descending); never used: before every date.
        const neverFirst = (sort === 'expiresAt') === (order === 'desc');
        const never = neverFirst ? expected.slice(0, nulls) : expected.slice(expected.length - nulls);
        for (const id of never) expect((await store.getToken(id))![sort]).toBeNull();
        const paged: string[] = [];
        for (let page = 1; page <= Math.ceil(expected.length / 7) + 1; page++) {
          const result = await store.listTokens({ ...filter, page, pageSize: 7 });
          expect(result.total).toBe(expected.length);
          paged.push(...result.items.map((t) => t.id));
        }
        expect(paged).toEqual(expected);
      });
    });
  });
}
