import { http } from 'msw';
import { setupWorker } from 'msw/browser';
import { REST_PATH } from '../contract/api';
import { createDemoHost } from './demo-host';

/**
 * Starts the demo: the REST backend runs in this page, and the service worker hands it every request
 * under /rest/. Only the demo build imports this module.
 */
export async function startDemoWorker(): Promise<void> {
  const host = createDemoHost({ storage: window.localStorage });
  const handle = ({ request }: { request: Request }) => host.handle(request);
  const worker = setupWorker(
    // The console's API, the protected resource (so that a token can be tried from the browser as from
    // any REST client), the vendor's token API: every REST path.
    http.all(`${REST_PATH}/*`, handle),
  );
  await worker.start({
    onUnhandledRequest: 'bypass',
    quiet: true,
    serviceWorker: { url: `${import.meta.env.BASE_URL}mockServiceWorker.js` },
  });
}
