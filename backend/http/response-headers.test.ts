import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { setResponseHeaders } from './response-headers';

function appReturning(make: () => Response) {
  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    setResponseHeaders(c, { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  });
  app.get('/', () => make());
  app.get('/json', (c) => c.json({ ok: true }, 201));
  return app;
}

describe('setResponseHeaders', () => {
  it('adds the headers to a response the handler made, keeping its status, body and own headers', async () => {
    const response = await appReturning(() => new Response('x')).request('/json');
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.json()).toEqual({ ok: true });
  });

  it('copies a response whose headers are immutable (Response.redirect) instead of failing', async () => {
    const response = await appReturning(() => Response.redirect('http://localhost/elsewhere', 302)).request(
      '/',
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('http://localhost/elsewhere');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
