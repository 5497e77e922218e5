import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { BASE_PATH } from '@contract/api';
import { createDemoHost, type DemoHost } from '../../mocks/demo-host';

/**
 * A fresh demo backend with in-memory storage; a small audit volume keeps tests quick (`auditRecords`:
 * how many the seed has, 0 for a server that has just started). `username` null: no session (as
 * after it expired).
 */
export function createTestHost(
  options: { username?: string | null; now?: () => Date; auditRecords?: number } = {},
): DemoHost {
  const values = new Map<string, string>();
  const storage = {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
  };
  if (options.username !== undefined)
    storage.setItem(
      'api-token-console.demo.changes',
      JSON.stringify({ demoSessionUsername: options.username }),
    );
  return createDemoHost({ storage, now: options.now, auditRecordCount: options.auditRecords ?? 2_000 });
}

let host: DemoHost = createTestHost();

/** Component tests talk to the real backend through msw/node, as the demo does through the service worker. */
export const testServer = setupServer(
  http.all(`*${BASE_PATH}/*`, ({ request }) => host.handle(request)),
  http.all('*/rest/api/2/*', ({ request }) => host.handle(request)),
);

export function setTestHost(next: DemoHost): DemoHost {
  host = next;
  return next;
}

/**
 * An RFC 9457 error as the backend answers it (`application/problem+json`), for a handler that makes
 * a request fail: `http.get(url, () => problemResponse(500, 'The database is down.'))`.
 */
export function problemResponse(status: number, detail: string, errors?: Record<string, string>) {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    422: 'Unprocessable Content',
    500: 'Internal Server Error',
  };
  return HttpResponse.json(
    { type: 'about:blank', title: titles[status] ?? 'Error', status, detail, ...(errors && { errors }) },
    { status, headers: { 'content-type': 'application/problem+json' } },
  );
}
