import type { Context, MiddlewareHandler } from 'hono';
import { setResponseHeaders } from '../backend/http/response-headers';

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
    setResponseHeaders(c, options.https(c) ? HTTPS_HEADERS : HEADERS);
  };
}

const HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};
const HTTPS_HEADERS = { ...HEADERS, 'strict-transport-security': 'max-age=31536000' };
