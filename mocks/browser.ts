import { http } from 'msw';
import { setupWorker } from 'msw/browser';
import { BASE_PATH } from '../contract/api';
import { PROTECTED_RESOURCE_PATH } from '../backend/app';
import { createDemoHost } from './demo-host';

/**
 * Starts the demo: the REST backend runs in this page, and the service worker hands it every request
 * under the API base path. Only the demo build imports this module.
 */
export async function startDemoWorker(): Promise<void> {
  const host = createDemoHost({ storage: window.localStorage });
  const handle = ({ request }: { request: Request }) => host.handle(request);
  const worker = setupWorker(
    http.all(`${BASE_PATH}/*`, handle),
    // The protected resource, so that a token can be tried from the browser as from any REST client.
    http.all(`${PROTECTED_RESOURCE_PATH}/*`, handle),
  );
  await worker.start({
    onUnhandledRequest: 'bypass',
    quiet: true,
    serviceWorker: { url: `${import.meta.env.BASE_URL}mockServiceWorker.js` },
  });
}
