/**
 * Sets headers on the response a handler has already made (middleware, after `next()`).
 * Hono's `c.header()` copies the whole Response for each header once the response is made, and on
 * Node such a copy also loses @hono/node-server's fast path for string bodies; the headers of a
 * Response made with `new Response()` can simply be changed in place. Only a Response whose headers
 * are immutable (one from `fetch()`, `Response.error()`, `Response.redirect()`) is copied.
 */
export function setResponseHeaders(
  // What it needs of any host's context (their Bindings differ).
  c: { res: Response; header(name: string, value: string): void },
  headers: Readonly<Record<string, string>>,
): void {
  try {
    const target = c.res.headers;
    for (const [name, value] of Object.entries(headers)) target.set(name, value);
  } catch {
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  }
}
