import { describe, expect, it } from 'vitest';
import { DirectoryUserSchema } from '../../contract/tokens';
import type { User } from '../../contract/users';
import { FIXTURE_USERS } from '../test/fixtures';
import type { Backend } from './tokens-test-kit';
import { dataSet, backendWith } from './tokens-test-kit';

describe('GET /users', () => {
  const search = async (backend: Backend, q: string) => {
    const response = await backend.call(`/users?q=${encodeURIComponent(q)}`);
    expect(response.status).toBe(200);
    return DirectoryUserSchema.array().parse(await response.json());
  };

  it.each([
    { q: 'DOE', expected: ['jdoe'] },
    { q: 'john', expected: ['jdoe'] },
    { q: 'a', expected: ['admin', 'auditor'] },
    { q: '', expected: ['admin', 'auditor', 'jdoe'] },
    { q: 'nobody', expected: [] },
  ])('"$q" finds $expected by username or display name', async ({ q, expected }) => {
    expect((await search(backendWith({ as: 'admin' }), q)).map((u) => u.username)).toEqual(expected);
  });

  it('answers key, username and display name only', async () => {
    expect(await search(backendWith({ as: 'admin' }), 'jdoe')).toEqual([
      { key: 'U3', username: 'jdoe', displayName: 'John Doe' },
    ]);
  });

  it('answers at most 20 users', async () => {
    const many: User[] = Array.from({ length: 30 }, (_, i) => ({
      key: `K${i}`,
      username: `user${i}`,
      displayName: `User ${i}`,
      email: `user${i}@example.com`,
      groups: [],
      role: 'user',
    }));
    const backend = backendWith({ as: 'admin', data: dataSet([], [...FIXTURE_USERS, ...many]) });
    expect(await search(backend, 'user')).toHaveLength(20);
  });

  it.each([
    { as: 'jdoe', status: 403 },
    { as: 'auditor', status: 403 },
    { as: null, status: 401 },
  ])('answers $as with $status', async ({ as, status }) => {
    expect((await backendWith({ as }).call('/users?q=a')).status).toBe(status);
  });
});
