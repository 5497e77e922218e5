import { describe, expect, it } from 'vitest';
import { ApiError, errorFromResponse, networkError } from './api-error';

const problemResponse = (status: number, body: unknown, type = 'application/problem+json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

describe('error normalisation: every failure becomes one ApiError', () => {
  it('keeps the problem details of an RFC 9457 response, with field errors', async () => {
    const error = await errorFromResponse(
      problemResponse(422, {
        type: 'about:blank',
        title: 'Unprocessable Content',
        status: 422,
        detail: 'Some values are not valid.',
        errors: { 'rateLimit.requestsPerMinute': 'Must be at least 1.' },
      }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.kind).toBe('http');
    expect(error.message).toBe('Some values are not valid.');
    expect(error.fieldErrors).toEqual({ 'rateLimit.requestsPerMinute': 'Must be at least 1.' });
  });

  it('classifies 401 as an ended session and 403 as missing permission', async () => {
    expect((await errorFromResponse(problemResponse(401, { title: 'Unauthorized', status: 401 }))).kind).toBe(
      'unauthorized',
    );
    expect((await errorFromResponse(problemResponse(403, { title: 'Forbidden', status: 403 }))).kind).toBe(
      'forbidden',
    );
  });

  it('takes the status of the response over a status in the body', async () => {
    const error = await errorFromResponse(problemResponse(409, { title: 'Conflict', status: 200 }));
    expect(error.status).toBe(409);
  });

  it('explains a response that is not problem+json (a proxy page, an empty body)', async () => {
    const html = await errorFromResponse(
      new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    expect(html.status).toBe(502);
    expect(html.problem.title).toBe('Bad Gateway');
    expect(html.message).toBe('Something went wrong on the server. Try again.');

    const empty = await errorFromResponse(new Response(null, { status: 401 }));
    expect(empty.kind).toBe('unauthorized');
    expect(empty.message).toBe('Your session has expired. Sign in again.');
  });

  it('describes a network failure so that the user knows to retry', () => {
    const error = networkError();
    expect(error.kind).toBe('network');
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/Can't reach the server/);
  });
});
