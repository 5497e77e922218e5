/**
 * The store contract: what every adapter of the store port (port.ts) answers alike, checked on the data
 * set of data-set.ts against references computed from it with the contract's own rules. Each adapter
 * runs it in a test file of its own (memory.test.ts here, the server's stores in server/store/), so that
 * the adapters run side by side on Vitest's workers.
 */
import { describe, expect, it } from 'vitest';
import { APP_LOGGERS, matchesLogEntry, ROOT_LOGGER, type LogEntriesQuery } from '../../../contract/logging';
import { DEFAULT_SETTINGS, type SettingsInput } from '../../../contract/settings';
import type { NewIssue, Store } from '../port';
import { describeAuditRecordContract } from './audit-contract';
import { data, NODES, NOW, USERS } from './data-set';
import { allLogPages } from './references';
import { describeTokenContract } from './tokens-contract';

/** The contract on the stores `create` makes: each test gets a new store, seeded with the data set. */
export function describeStoreContract(name: string, create: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    describe('users', () => {
      it('lists, finds and groups the users', async () => {
        const store = await create();
        expect(await store.listUsers()).toEqual(USERS);
        expect(await store.findUserByKey('U4')).toEqual(USERS[3]);
        expect(await store.findUserByUsername('önder')).toEqual(USERS[3]);
        expect(await store.findUserByUsername('ÖNDER')).toBeUndefined();
        expect(await store.findUserByKey('nope')).toBeUndefined();
        expect(await store.findUserByUsername('nope')).toBeUndefined();
        expect(await store.listGroups()).toEqual([
          'auditors',
          'bots',
          'développeurs',
          'jira-administrators',
          'jira-software-users',
        ]);
      });
    });

    describe('issues', () => {
      const issue = (fields: Partial<NewIssue> = {}): NewIssue => ({
        projectKey: 'DEMO',
        issueTypeId: '10001',
        summary: 'Nightly build failed',
        description: null,
        reporterKey: 'U1',
        reporterUsername: 'admin',
        createdAt: NOW.toISOString(),
        ...fields,
      });

      it('assigns ids from 10000 and keys numbered per project', async () => {
        const store = await create();
        const first = await store.createIssue(issue({ description: 'Ünïcode — "quotes" and\nlines' }));
        expect(first).toEqual({
          ...issue({ description: 'Ünïcode — "quotes" and\nlines' }),
          id: '10000',
          key: 'DEMO-1',
        });
        expect((await store.createIssue(issue())).key).toBe('DEMO-2');
        expect(await store.createIssue(issue({ projectKey: 'OPS' }))).toMatchObject({
          id: '10002',
          key: 'OPS-1',
        });
        expect(await store.createIssue(issue())).toMatchObject({ id: '10003', key: 'DEMO-3' });
      });

      it('finds an issue by its id or its key, and nothing else', async () => {
        const store = await create();
        const created = await store.createIssue(issue());
        expect(await store.findIssue('10000')).toEqual(created);
        expect(await store.findIssue('DEMO-1')).toEqual(created);
        for (const other of ['DEMO-2', 'demo-1', '010000', '1e4', '10000.0', ' 10000', '', 'DEMO']) {
          expect(await store.findIssue(other)).toBeUndefined();
        }
      });
    });

    describe('settings', () => {
      it('starts with the defaults, version 1', async () => {
        expect(await (await create()).getSettings()).toEqual({
          ...DEFAULT_SETTINGS,
          version: 1,
          updatedAt: null,
          updatedBy: null,
        });
      });

      it('saves with compare-and-set: a stale version is refused', async () => {
        const store = await create();
        const input: SettingsInput = {
          ...DEFAULT_SETTINGS,
          auditLogging: {
            ...DEFAULT_SETTINGS.auditLogging,
            successfulAuthentication: true,
            retentionDays: 30,
          },
        };
        const at = new Date('2026-11-25T13:00:00.000Z');
        // Read first: a store that caches them must not answer from a stale copy.
        expect((await store.getSettings()).version).toBe(1);
        const saved = await store.saveSettings(input, 1, 'admin', at);
        expect(saved).toEqual({ ...input, version: 2, updatedAt: at.toISOString(), updatedBy: 'admin' });
        expect(await store.getSettings()).toEqual(saved);
        expect(await store.saveSettings(DEFAULT_SETTINGS, 1, 'auditor', at)).toBeNull();
        expect(await store.getSettings()).toEqual(saved);
        const again = await store.saveSettings(
          DEFAULT_SETTINGS,
          2,
          'jdoe',
          new Date('2026-11-25T14:00:00.000Z'),
        );
        expect(again).toMatchObject({ version: 3, updatedBy: 'jdoe', updatedAt: '2026-11-25T14:00:00.000Z' });
        expect(await store.getSettings()).toEqual(again);
        expect(await store.saveSettings(input, 4, 'admin', at)).toBeNull();
      });
    });

    describeTokenContract(create);

    describeAuditRecordContract(create);

    describe('loggers', () => {
      it('lists the nodes and their configured levels, which differ per node', async () => {
        const store = await create();
        expect((await store.listNodes()).map((n) => n.id)).toEqual(NODES);
        expect(await store.listLoggers('node-1')).toEqual(data.loggers);
        expect(await store.listLoggers('node-2')).toEqual([
          { name: ROOT_LOGGER, configuredLevel: 'WARN' },
          { name: APP_LOGGERS.app, configuredLevel: 'INFO' },
          { name: APP_LOGGERS.authService, configuredLevel: null },
          { name: APP_LOGGERS.rateLimiter, configuredLevel: 'DEBUG' },
          { name: 'com.example.extra', configuredLevel: 'TRACE' },
        ]);
      });

      it('sets a level on one node; null resets it to inherited; a new logger comes last', async () => {
        const store = await create();
        // Read first: a store that caches them must not answer from a stale copy.
        expect(await store.listLoggers('node-1')).toEqual(data.loggers);
        expect(await store.listLoggers('node-2')).toHaveLength(5);
        await store.setLoggerLevel('node-1', APP_LOGGERS.authService, 'DEBUG');
        await store.setLoggerLevel('node-1', 'com.example.new', 'TRACE');
        await store.setLoggerLevel('node-1', ROOT_LOGGER, null);
        await store.setLoggerLevel('node-2', 'com.example.extra', 'ERROR');
        expect(await store.listLoggers('node-1')).toEqual([
          { name: ROOT_LOGGER, configuredLevel: null },
          { name: APP_LOGGERS.app, configuredLevel: 'INFO' },
          { name: APP_LOGGERS.authService, configuredLevel: 'DEBUG' },
          { name: APP_LOGGERS.rateLimiter, configuredLevel: null },
          { name: 'com.example.new', configuredLevel: 'TRACE' },
        ]);
        expect(await store.listLoggers('node-2')).toEqual([
          { name: ROOT_LOGGER, configuredLevel: 'WARN' },
          { name: APP_LOGGERS.app, configuredLevel: 'INFO' },
          { name: APP_LOGGERS.authService, configuredLevel: null },
          { name: APP_LOGGERS.rateLimiter, configuredLevel: 'DEBUG' },
          { name: 'com.example.extra', configuredLevel: 'ERROR' },
        ]);
        await store.setLoggerLevel('node-1', 'com.example.new', 'WARN');
        expect((await store.listLoggers('node-1')).at(-1)).toEqual({
          name: 'com.example.new',
          configuredLevel: 'WARN',
        });
      });

      it('answers the same list until a level changes (the log writer works levels out once per list)', async () => {
        const store = await create();
        const before = await store.listLoggers('node-1');
        expect(await store.listLoggers('node-1')).toBe(before);
        await store.setLoggerLevel('node-2', APP_LOGGERS.app, 'DEBUG');
        const after = await store.listLoggers('node-1');
        expect(after).not.toBe(before);
        expect(after).toEqual(before);
        expect(
          (await store.listLoggers('node-2')).find((l) => l.name === APP_LOGGERS.app)?.configuredLevel,
        ).toBe('DEBUG');
      });

      it('schedules and cancels level reverts', async () => {
        const store = await create();
        expect(await store.listLevelReverts()).toEqual([]);
        const first = {
          name: APP_LOGGERS.app,
          revertAt: '2026-11-25T13:00:00.000Z',
          previous: { 'node-1': 'INFO' as const, 'node-2': null },
          setBy: 'admin',
        };
        const second = {
          ...first,
          name: APP_LOGGERS.rateLimiter,
          previous: { 'node-1': null, 'node-2': 'DEBUG' as const },
        };
        await store.setLevelRevert(first.name, first);
        await store.setLevelRevert(second.name, second);
        expect(await store.listLevelReverts()).toEqual([first, second]);
        const moved = { ...first, revertAt: '2026-11-25T16:00:00.000Z', setBy: 'önder' };
        await store.setLevelRevert(first.name, moved);
        expect(await store.listLevelReverts()).toEqual([moved, second]);
        await store.setLevelRevert(first.name, null);
        expect(await store.listLevelReverts()).toEqual([second]);
        await store.setLevelRevert('not.scheduled', null);
        expect(await store.listLevelReverts()).toEqual([second]);
      });
    });

    describe('log entries', () => {
      const entries = data.logEntries;
      const FILTERS: [string, Partial<LogEntriesQuery>][] = [
        ['nothing', {}],
        ['a level', { level: ['WARN'] }],
        ['levels', { level: ['ERROR', 'FATAL', 'TRACE'] }],
        ['a logger and those below it', { logger: APP_LOGGERS.app }],
        ['a class', { logger: APP_LOGGERS.rateLimiter }],
        ['a package prefix that is no package', { logger: 'de.resolution.apitoken' }],
        ['another root', { logger: 'com' }],
        ['empty logger', { logger: '' }],
        ['node', { node: 'node-2' }],
        ['text, any case', { q: 'found a matching token' }],
        ['text with quotes and a backslash', { q: '"backup" with \\' }],
        [
          'everything',
          { level: ['INFO', 'DEBUG'], logger: 'de.resolution.apitokenauth', node: 'node-1', q: 'JDOE' },
        ],
      ];

      it.each(FILTERS)('lists newest first, page by page: %s', async (_, query) => {
        const store = await create();
        const filter = { level: query.level ?? [], logger: query.logger, q: query.q, node: query.node };
        const expected = entries.filter((e) => matchesLogEntry(e, filter)).map((e) => e.id);
        expect(await store.listLogEntries({ ...query, limit: 500 })).toEqual({
          items: expected.map((id) => entries.find((e) => e.id === id)),
          nextCursor: null,
        });
        expect(await allLogPages(store, query, 6)).toEqual(expected);
      });

      it('appends entries: ids continue, newest first', async () => {
        const store = await create();
        const { id: _id, ...entry } = entries[0]!;
        await store.appendLogEntries([entry, { ...entry, message: 'Second' }]);
        const appended = [
          { ...entry, id: 'le-000000101' },
          { ...entry, id: 'le-000000102', message: 'Second' },
        ];
        expect(await store.listLogEntries({ limit: 3 })).toEqual({
          items: [appended[1], appended[0], entries[0]],
          nextCursor: entries[0]!.id,
        });
        expect((await store.listLogEntries({ q: 'second', limit: 3 })).items).toEqual([appended[1]]);
      });
    });

    it('keeps the demo session account', async () => {
      const store = await create();
      expect(await store.getDemoSessionUsername()).toBeNull();
      await store.setDemoSessionUsername('auditor');
      expect(await store.getDemoSessionUsername()).toBe('auditor');
      await store.setDemoSessionUsername(null);
      expect(await store.getDemoSessionUsername()).toBeNull();
    });
  });
}
