import type { Context, MiddlewareHandler } from 'hono';

/**
 * Strict security headers on every response. The built console needs no inline script or style:
 * its CSS is a file, and React sets styles through the DOM, which CSP allows.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any host's context (its Bindings differ)
export function securityHeaders(options: { https: (c: Context<any>) => boolean }): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('content-security-policy', CONTENT_SECURITY_POLICY);
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
    c.header('x-frame-options', 'DENY');
    c.header('cross-origin-opener-policy', 'same-origin');
    c.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (options.https(c)) c.header('strict-transport-security', 'max-age=31536000');
  };
}
