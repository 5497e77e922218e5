import { render, screen, within } from '@testing-library/react';
import { lazy } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { LazyBoundary } from './LazyBoundary';

describe('LazyBoundary', () => {
  it('shows the code that loaded', async () => {
    const Loaded = lazy(() => Promise.resolve({ default: () => <p>Toasts</p> }));
    render(
      <LazyBoundary>
        <Loaded />
      </LazyBoundary>,
    );
    expect(await screen.findByText('Toasts')).toBeInTheDocument();
  });

  it('says the server is unreachable, with Reload, when the code cannot be loaded', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {}); // React reports the caught error
    const Missing = lazy(() =>
      Promise.reject(
        new TypeError(
          'Failed to fetch dynamically imported module: http://localhost/assets/ToastList-Bx1.js',
        ),
      ),
    );
    render(
      <main>
        <h1>Audit Log</h1>
        <LazyBoundary>
          <Missing />
        </LazyBoundary>
      </main>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent("Can't reach the server");
    expect(within(alert).getByRole('button', { name: 'Reload' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Audit Log' })).toBeInTheDocument();
  });
});
