import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { Providers } from '@/app/Providers';
import { routes } from '@/app/routes';
import { IS_DEMO } from '@/lib/config';
import { createQueryClient } from '@/lib/query-client';
import './index.css';

async function start() {
  if (IS_DEMO) {
    // The demo's backend runs in this page behind Mock Service Worker. The production build drops
    // this branch (IS_DEMO is a build-time constant), so no MSW code ships to real deployments.
    const { startDemoWorker } = await import('../mocks/browser');
    await startDemoWorker();
  }
  const router = createBrowserRouter(routes);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Providers queryClient={createQueryClient()}>
        <RouterProvider router={router} />
      </Providers>
    </StrictMode>,
  );
}

void start();
