import { describe, expect, it } from 'vitest';
import { APP, SERVICE, SEEDED_ENTRIES, setup, problemOf, entries, ids, seeded } from './logging-test-kit';

describe('GET /logging/entries', () => {
  it('lists the entries newest first', async () => {
    const page = await entries(setup());
    expect(ids(page)).toEqual(seeded(1, 2, 3, 4, 5, 6, 7, 8));
    expect(page.entries).toEqual(SEEDED_ENTRIES);
    expect(page.nextCursor).toBeNull();
  });

  it('filters by level, repeatable', async () => {
    const backend = setup();
    expect(ids(await entries(backend, '?level=INFO'))).toEqual(seeded(1, 3, 6, 8));
    expect(ids(await entries(backend, '?level=WARN&level=ERROR'))).toEqual(seeded(2, 5, 7));
    expect(ids(await entries(backend, '?level=TRACE'))).toEqual([]);
  });

  it('filters by logger: the exact name or a package prefix', async () => {
    const backend = setup();
    expect(ids(await entries(backend, `?logger=${SERVICE}`))).toEqual(seeded(1, 3, 8));
    expect(ids(await entries(backend, `?logger=${APP}`))).toEqual(seeded(1, 2, 3, 4, 6, 8));
    // "de.resolution" is a package of de.resolution.apitokenauth.*, not of de.resolutionary.*.
    expect(ids(await entries(backend, '?logger=de.resolution'))).toEqual(seeded(1, 2, 3, 4, 6, 8));
    expect(ids(await entries(backend, '?logger=de.res'))).toEqual([]);
    expect(ids(await entries(backend, '?logger=de.resolution.apitokenauth.Api'))).toEqual([]);
  });

  it('searches the message, ignoring case', async () => {
    const backend = setup();
    expect(ids(await entries(backend, '?q=FOR%20USER%20JDOE'))).toEqual(seeded(1, 2, 4));
    expect(ids(await entries(backend, '?q=ci%20PIPELINE'))).toEqual(seeded(1));
    expect(ids(await entries(backend, '?q=failed'))).toEqual(seeded(5, 8));
    expect(ids(await entries(backend, '?q=no%20such%20text'))).toEqual([]);
  });

  it('combines the filters', async () => {
    const backend = setup();
    expect(ids(await entries(backend, `?level=INFO&logger=${SERVICE}&q=token`))).toEqual(seeded(1, 3, 8));
    expect(ids(await entries(backend, '?level=INFO&logger=de.resolution&node=node-2'))).toEqual(seeded(3));
  });

  it('pages with a cursor, covering every entry once', async () => {
    const backend = setup();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await entries(backend, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.entries.length).toBeLessThanOrEqual(3);
      seen.push(...ids(page));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(seeded(1, 2, 3, 4, 5, 6, 7, 8));
  });

  it('pages through filtered entries', async () => {
    const backend = setup();
    const first = await entries(backend, '?level=INFO&limit=2');
    expect(ids(first)).toEqual(seeded(6, 8));
    expect(first.nextCursor).not.toBeNull();
    const second = await entries(backend, `?level=INFO&limit=2&cursor=${first.nextCursor}`);
    expect(ids(second)).toEqual(seeded(1, 3));
    expect(second.nextCursor).toBeNull();
  });

  it.each([
    ['?level=LOUD', 'level.0'],
    ['?level=OFF', 'level.0'],
    ['?limit=0', 'limit'],
    ['?limit=501', 'limit'],
    ['?limit=ten', 'limit'],
    ['?cursor=junk', 'cursor'],
    [`?logger=${'a'.repeat(256)}`, 'logger'],
  ])('refuses %s with 400', async (query, field) => {
    const response = await setup().call(`/logging/entries${query}`);
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[field]).toEqual(expect.any(String));
  });

  it('is open to the auditor, not to a regular user', async () => {
    expect((await setup('auditor').call('/logging/entries')).status).toBe(200);
    expect((await setup('jdoe').call('/logging/entries')).status).toBe(403);
  });
});
