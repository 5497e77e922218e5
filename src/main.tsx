// First: every schema built after this one compiles nothing (see zod-config.ts).
import '@/lib/zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
// react-router/dom's provider can flush updates synchronously (focus moves after a navigation).
import { RouterProvider } from 'react-router/dom';
import { Providers } from '@/app/Providers';
import { routes } from '@/app/routes';
import { myselfQueryOptions, SIGN_IN_PATH } from '@/lib/auth';
import { createQueryClient } from '@/lib/query-client';
import './index.css';

const MYSELF_WAIT_MS = 1_500;

async function start() {
  // The condition is written out (not IS_DEMO) so that the production build removes the branch, and
  // the demo backend and MSW are not even emitted.
  if (import.meta.env.VITE_DEMO === 'true') {
    // The demo's backend runs in this page behind Mock Service Worker. The production build drops
    // this branch (IS_DEMO is a build-time constant), so no MSW code ships to real deployments.
    const { startDemoWorker } = await import('../mocks/browser');
    await startDemoWorker();
  }
  const queryClient = createQueryClient();
  // Who is signed in is needed by every page but the sign-in page: ask while the page's code loads
  // (the router starts loading it as it is created).
  const myself =
    window.location.pathname === SIGN_IN_PATH
      ? Promise.resolve()
      : queryClient.prefetchQuery(myselfQueryOptions);
  const router = createBrowserRouter(routes);
  // The first frame then has the user's navigation in it, instead of the navigation arriving a moment
  // later and pushing the page down; index.html's frame shows meanwhile. A slow answer does not hold
  // the console back: after MYSELF_WAIT_MS it renders and says that it is signing in.
  await Promise.race([myself, new Promise((resolve) => setTimeout(resolve, MYSELF_WAIT_MS))]);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Providers queryClient={queryClient}>
        <RouterProvider router={router} />
      </Providers>
    </StrictMode>,
  );
}

void start();
