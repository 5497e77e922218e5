import { describe, expect, it, vi } from 'vitest';
import { createTestBackend } from './test/harness';

describe('GET /myself', () => {
  it('answers the signed-in user with role and permissions', async () => {
    const { call } = createTestBackend({ as: 'auditor' });
    const response = await call('/myself');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      key: 'U2',
      username: 'auditor',
      displayName: 'Olga Auditor',
      role: 'auditor',
      permissions: ['settings:read', 'tokens:own', 'tokens:read', 'audit:read', 'logging:read'],
    });
  });

  it('answers 401 problem+json without a session', async () => {
    const { call } = createTestBackend({ as: null });
    const response = await call('/myself');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
  });
});

describe('the demo endpoints', () => {
  it('switch the account to another demo account', async () => {
    const { json, store } = createTestBackend();
    const response = await json('PUT', '/demo/session', { username: 'jdoe' });
    expect(response.status).toBe(204);
    expect(store.getDemoSessionUsername()).toBe('jdoe');
  });

  it('refuse an account that is not a demo account, with a field error', async () => {
    const { json, store } = createTestBackend();
    const response = await json('PUT', '/demo/session', { username: 'mallory' });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ errors: { username: 'Choose one of the demo accounts.' } });
    expect(store.getDemoSessionUsername()).toBe('admin');
  });

  it('refuse malformed JSON and a wrong content type', async () => {
    const { call } = createTestBackend();
    const malformed = await call('/demo/session', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"username":',
    });
    expect(malformed.status).toBe(400);
    const wrongType = await call('/demo/session', { method: 'PUT', body: 'username=jdoe' });
    expect(wrongType.status).toBe(415);
  });

  it('reset the demo data', async () => {
    const { call, resets } = createTestBackend();
    expect((await call('/demo/reset', { method: 'POST' })).status).toBe(204);
    expect(resets()).toBe(1);
  });
});

describe('errors', () => {
  it('answer an unknown endpoint with 404 problem+json', async () => {
    const { call } = createTestBackend();
    const response = await call('/nothing-here');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('an answer and its audit records', () => {
  it('goes out only once the store has stored the records of its request', async () => {
    const { call, store } = createTestBackend();
    let storeRecords = () => {};
    store.whenAuditStored = () => new Promise<void>((resolve) => (storeRecords = resolve));
    let answered = false;
    const response = Promise.resolve(call('/myself')).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((done) => setTimeout(done, 20));
    expect(answered).toBe(false);
    storeRecords();
    expect((await response).status).toBe(200);
  });

  it('is an error when the records could not be stored', async () => {
    const { call, store } = createTestBackend();
    store.whenAuditStored = () => Promise.reject(new Error('disk full'));
    const reported = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await call('/myself');
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('disk full');
    // The server's own output says what happened.
    expect(reported).toHaveBeenCalledWith(
      'Unhandled backend error',
      expect.objectContaining({ message: 'disk full' }),
    );
    reported.mockRestore();
  });
});
