import { screen, waitFor } from '@testing-library/react';
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { BASE_PATH } from '@contract/api';
import { APP_LOGGERS, type LogEntry } from '@contract/logging';
import { renderApp } from '@/test/render';
import { testServer } from '@/test/server';
import { MAX_DOWNLOAD_LINES } from './api';

const ENTRIES_URL = `*${BASE_PATH}/logging/entries`;

/** A page of `limit` entries of a log with no end: every page has an older one after it. */
function endlessPage(request: Request) {
  const url = new URL(request.url);
  const offset = Number(url.searchParams.get('cursor') ?? '0');
  const limit = Number(url.searchParams.get('limit'));
  const entries: LogEntry[] = Array.from({ length: limit }, (_, i) => ({
    id: `le-${String(offset + i).padStart(15, '0')}`,
    timestamp: '2026-11-20T08:00:00.000Z',
    level: 'INFO',
    logger: APP_LOGGERS.authService,
    node: 'node-1',
    thread: 'http-nio-8080-exec-7',
    username: 'jdoe',
    clientIp: '203.0.113.7',
    url: '/rest/api/2/myself',
    message: `Line ${offset + i}`,
  }));
  return HttpResponse.json({ entries, nextCursor: String(offset + limit) });
}

/** Catches the file the console saves. */
function savedFiles(): Blob[] {
  const saved: Blob[] = [];
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    saved.push(blob as Blob);
    return 'blob:log';
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
  return saved;
}

describe('Downloading log entries', () => {
  it(`saves the newest ${MAX_DOWNLOAD_LINES.toLocaleString('en')} lines of a larger log and says how to get older ones`, async () => {
    testServer.use(http.get(ENTRIES_URL, ({ request }) => endlessPage(request)));
    const saved = savedFiles();
    const view = renderApp('/logging/entries');
    await view.user.click(await screen.findByRole('button', { name: 'Download' }));
    await waitFor(() => expect(saved).toHaveLength(1), { timeout: 20_000 });
    const lines = (await saved[0]!.text()).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(MAX_DOWNLOAD_LINES);
    expect(lines[0]).toContain('Line 0');
    expect(
      screen.getByText(
        `Saved the newest ${MAX_DOWNLOAD_LINES.toLocaleString()} lines. Narrow the filters to download older ones.`,
      ),
    ).toBeInTheDocument();
  }, 30_000);

  it('can be cancelled while it reads, and then saves nothing', async () => {
    testServer.use(
      http.get(ENTRIES_URL, async ({ request }) => {
        // Pages come slowly: the administrator gives up.
        if (new URL(request.url).searchParams.get('cursor')) await delay(200);
        return endlessPage(request);
      }),
    );
    const saved = savedFiles();
    const view = renderApp('/logging/entries');
    await view.user.click(await screen.findByRole('button', { name: 'Download' }));
    expect(await screen.findByText(/^Reading… [\d,]+ lines$/)).toBeInTheDocument();
    const cancel = screen.getByRole('button', { name: 'Cancel download' });
    // The button the keyboard pressed stays where the focus is.
    expect(cancel).toHaveFocus();
    await view.user.click(cancel);
    expect(await screen.findByText('Download cancelled.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Download' })).toBeEnabled();
    await new Promise((settle) => setTimeout(settle, 300));
    expect(saved).toHaveLength(0);
  });
});
