/**
 * Where a `next` parameter may send the user after signing in: a path of this console, never another
 * site. The browser's own URL parser decides, so that spellings it reads as another host
 * (`//host`, `/\host`, `/\t/host`) go to the start page instead.
 */
export function safeNext(next: string | null, origin = window.location.origin): string {
  if (!next?.startsWith('/')) return '/';
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return '/';
  }
  return url.origin === origin ? `${url.pathname}${url.search}${url.hash}` : '/';
}
