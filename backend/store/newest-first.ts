import type { Page } from './port';

// Audit records and log entries are listed newest first and paged by id: their ids sort by age.

/** Ids are a prefix and a zero-padded sequence number, so that a newer item has a greater id. */
export function nextId(id: string): string {
  const match = /^(.*?)(\d+)$/.exec(id);
  if (!match) throw new Error(`Unexpected id ${id}`);
  const [, prefix = '', digits = ''] = match;
  return prefix + String(Number(digits) + 1).padStart(digits.length, '0');
}

/**
 * A page of `limit` items from the matches found so far (up to `limit + 1`: one more than the page
 * tells that there are more), and the cursor of the next page.
 */
export function pageOf<T extends { id: string }>(matches: T[], limit: number): Page<T> {
  const hasMore = matches.length > limit;
  const items = hasMore ? matches.slice(0, limit) : matches;
  return { items, nextCursor: hasMore ? (items.at(-1)?.id ?? null) : null };
}
