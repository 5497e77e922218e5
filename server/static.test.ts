import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressFiles } from '../scripts/vite-precompress';
import { ensureFirstStart } from './accounts';
import { createServerApp } from './app';
import { SqliteStore } from './store/sqlite-store';

// A built console in miniature: index.html, a script big enough to be precompressed, a small one.
const SCRIPT = `export const page = ${JSON.stringify('console '.repeat(400))};\n`;
const SMALL = 'export const x = 1;\n';

let dir: string;
let app: ReturnType<typeof createServerApp>['app'];
let store: SqliteStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atc-static-'));
  const root = join(dir, 'dist');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(
    join(root, 'index.html'),
    '<!doctype html><title>API Token Console</title><div id="root"></div>',
  );
  writeFileSync(join(root, 'assets', 'page-abc123.js'), SCRIPT);
  writeFileSync(join(root, 'assets', 'small-def456.js'), SMALL);
  // What `npm run build` does after writing the files.
  precompressFiles(root, ['assets/page-abc123.js', 'assets/small-def456.js', 'index.html']);

  store = SqliteStore.open(':memory:', { nodes: ['node-1'] });
  await ensureFirstStart(store, {
    ATC_ADMIN_PASSWORD: 'a',
    ATC_AUDITOR_PASSWORD: 'b',
    ATC_USER_PASSWORD: 'c',
  });
  app = createServerApp({
    store,
    staticDir: root,
    logFile: join(dir, 'console.log'),
    nodeId: 'node-1',
    trustedProxies: [],
    echoLog: () => {},
  }).app;
});
afterAll(() => store.close());

const get = (path: string, acceptEncoding?: string) =>
  app.request(path, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });

describe('the built console', () => {
  it('the build writes Brotli and gzip copies of scripts worth compressing, and only of those', () => {
    const path = join(dir, 'dist', 'assets', 'page-abc123.js');
    expect(brotliDecompressSync(readFileSync(`${path}.br`)).toString()).toBe(SCRIPT);
    expect(gunzipSync(readFileSync(`${path}.gz`)).toString()).toBe(SCRIPT);
    expect(() => readFileSync(join(dir, 'dist', 'assets', 'small-def456.js.br'))).toThrow();
  });

  it('sends the Brotli copy to a browser that accepts it, cached for good, with the security headers', async () => {
    const response = await get('/assets/page-abc123.js', 'gzip, deflate, br, zstd');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-encoding')).toBe('br');
    expect(response.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(brotliDecompressSync(Buffer.from(await response.arrayBuffer())).toString()).toBe(SCRIPT);
  });

  it('sends the gzip copy to a client that accepts only gzip, and the file itself to one that accepts neither', async () => {
    const gzip = await get('/assets/page-abc123.js', 'gzip');
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe(SCRIPT);

    const plain = await get('/assets/page-abc123.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(SCRIPT);
  });

  it('answers every console route with the page itself', async () => {
    const response = await get('/settings/audit-logging');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<div id="root">');
  });
});

describe('REST paths are never the console page', () => {
  // Jira clients ask for paths this server does not have (python-jira's validate=True asks for
  // /rest/auth/1/session): they must get JSON they can read, not the single page's HTML.
  it.each(['/rest/auth/1/session', '/rest/api/3/myself', '/rest/api/latest/nothing', '/rest/', '/rest/x/y'])(
    'answers GET %s with a JSON 404',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({ status: 404, errorMessages: ['No such endpoint.'] });
    },
  );
});
