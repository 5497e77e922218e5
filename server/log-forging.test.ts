// @vitest-environment node
/**
 * Log forging (issue 15, item 3): the attacks of the issue through the authentication engine, and
 * what the two readers of the log make of them: the memory store's list (the demo) and the log file
 * (the real server). One event is one line with the same fields, whatever the client sent.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_LOGGERS, type LogEntry } from '../contract/logging';
import { DEFAULT_SETTINGS } from '../contract/settings';
import { generateSecret, hashSecret } from '../backend/auth/secrets';
import { fixtureData, fixtureToken } from '../backend/test/fixtures';
import { basic, bearer, createTestBackend } from '../backend/test/harness';
import { LogFile, parseLogLine } from './log-file';

const SECRET = generateSecret();
const CLIENT_IP = '198.51.100.23';
/** A complete line as the log file holds one, claiming a successful sign-in of admin from 10.9.9.9. */
const FAKE_LINE =
  '2026-11-25 11:59:59,000+0000 http-nio-8080-exec-7 INFO admin 10.9.9.9 /rest/api/2/myself [de.resolution.apitokenauth.ApiTokenAuthenticationService] Found a matching token for authenticating user admin, created on 1582191421157. REST endpoint: /rest/api/2/myself';

interface Attack {
  name: string;
  path?: string;
  authorization: string;
  /** The username field of the line, as the log holds it. */
  username: string;
  /** The URL field of the line. */
  url?: string;
}

const ATTACKS: Attack[] = [
  {
    name: 'CR/LF in a Basic username',
    authorization: basic('jdoe\r\nINFO admin', 'x'),
    username: 'jdoe\\r\\nINFO\\u0020admin',
  },
  {
    name: '%0A in the path',
    path: `/rest/api/2/myself%0A${encodeURI(FAKE_LINE)}`,
    authorization: bearer('not-a-token'),
    username: 'anonymous',
    url: `/rest/api/2/myself\\n${FAKE_LINE.replaceAll(' ', '\\u0020')}`,
  },
  {
    name: 'spaces in the username (which would shift the fields)',
    authorization: basic('jdoe 10.9.9.9 /admin [de.resolution.apitokenauth.Fake]', 'x'),
    username: 'jdoe\\u002010.9.9.9\\u0020/admin\\u0020[de.resolution.apitokenauth.Fake]',
  },
  {
    // (Basic ends the username at the first colon: the rest of the line is the password.)
    name: 'a complete fake line in the username',
    authorization: basic(`x\n${FAKE_LINE}`, 'x'),
    username: 'x\\n2026-11-25\\u002011',
  },
  {
    name: 'a complete fake line without colons in the username',
    authorization: basic(`x\n${FAKE_LINE.replaceAll(':', '.')}`, 'x'),
    username: `x\\n${FAKE_LINE.replaceAll(':', '.').replaceAll(' ', '\\u0020')}`,
  },
  {
    name: 'other line breaks and controls: U+2028, U+0085, NUL, tab, vertical tab',
    authorization: basic('a\u2028b\u0085c\u0000d\te\u000bf', 'x'),
    username: 'a\\u2028b\\u0085c\\u0000d\\te\\u000Bf',
  },
  {
    name: 'a right-to-left override and a no-break space',
    authorization: basic('evil\u202Enimda\u00a0x', 'x'),
    username: 'evil\\u202Enimda\\u00A0x',
  },
  {
    name: 'a backslash and quotes (an escape read back must be unambiguous)',
    authorization: basic('a\\nb"c', 'x'),
    username: 'a\\\\nb\\"c',
  },
  {
    name: 'a lone dash, which stands for an empty field',
    authorization: basic('-', 'x'),
    username: '\\u002D',
  },
];

function backend() {
  return createTestBackend({
    data: {
      ...fixtureData(),
      tokens: [
        // A description that tries to close its quotes and claim another user.
        fixtureToken({
          id: 'tok_quoted',
          secretHash: hashSecret(SECRET),
          description: 'x" with Read & Write scope and authenticated user admin. Token was created on',
        }),
      ],
      loggers: [{ name: 'de.resolution.apitokenauth', configuredLevel: 'INFO' }],
    },
    settings: { auditLogging: DEFAULT_SETTINGS.auditLogging },
  });
}

/** Writes the entries as the server does and reads them back through the Log entries reader. */
async function throughLogFile(entries: LogEntry[]) {
  const path = join(mkdtempSync(join(tmpdir(), 'atc-forging-')), 'console.log');
  const file = new LogFile(path, 'node-1', () => {});
  // The store lists newest first; the file is written oldest first.
  file.append([...entries].reverse().map(({ id: _id, ...entry }) => entry));
  file.flush();
  return {
    lines: readFileSync(path, 'utf8').split('\n').slice(0, -1),
    read: (await file.list({ limit: 100 })).items,
  };
}

/** What a reader must never let a client choose: everything but the username, URL and message. */
const genuine = (entry: LogEntry) => ({
  timestamp: entry.timestamp,
  level: entry.level,
  logger: entry.logger,
  clientIp: entry.clientIp,
  node: entry.node,
  thread: entry.thread,
});

describe('log forging: one event is one line with the same fields', () => {
  it.each(ATTACKS)('$name', async (attack) => {
    const b = backend();
    const response = await b.app.request(attack.path ?? '/rest/api/2/myself', {
      headers: { authorization: attack.authorization, 'x-test-client-ip': CLIENT_IP },
    });
    expect(response.status).toBe(401);

    // The memory store (the demo's Log entries): one entry, the genuine logger and address.
    const entries = (await b.store.listLogEntries({ limit: 100 })).items;
    expect(entries).toHaveLength(1);
    const [entry] = entries as [LogEntry];
    expect(entry).toMatchObject({
      logger: APP_LOGGERS.authService,
      clientIp: CLIENT_IP,
      username: attack.username,
      url: attack.url ?? '/rest/api/2/myself',
    });
    expect(entry.message).not.toMatch(/[\r\n\u2028\u2029\u0085]/);
    expect(entry.message).toContain(attack.username === 'anonymous' ? attack.url : attack.username);

    // The log file (the server's Log entries): one line, read back as the very same entry.
    const { lines, read } = await throughLogFile(entries);
    expect(lines).toHaveLength(1);
    expect(read).toHaveLength(1);
    expect(read[0]).toMatchObject({
      ...genuine(entry),
      username: entry.username,
      url: entry.url,
      message: entry.message,
    });
    expect(parseLogLine(lines[0]!, 0, 'node-1')).toMatchObject(genuine(entry));
  });

  it('a token description cannot close its quotes and claim another user', async () => {
    const b = backend();
    await b.app.request('/rest/api/2/myself', { headers: { authorization: bearer(SECRET) } });
    const messages = (await b.store.listLogEntries({ limit: 100 })).items.map((e) => e.message);
    expect(messages[0]).toBe(
      'Found a matching token "x\\" with Read & Write scope and authenticated user admin. Token was created on" with Read & Write scope and authenticated user jdoe. Token was created on Jan 6, 2026 2:14:46 PM. REST endpoint: /rest/api/2/myself',
    );
  });
});
