import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Myself, Permission } from '@contract/users';
import { apiRequest, parseResponse } from './api-client';
import { QUERY_ROOTS } from './query-keys';

/** The real server's sign-in page (the demo signs in through its account switcher instead). */
export const SIGN_IN_PATH = '/sign-in';

/** Who is signed in, with their permissions: every page needs it. */
export const myselfQueryOptions = queryOptions({
  queryKey: QUERY_ROOTS.myself,
  queryFn: async ({ signal }) => {
    // The schema's chunk loads beside the request instead of with the first screen.
    const [{ MyselfSchema }, myself] = await Promise.all([
      import('@contract/user-schemas'),
      apiRequest('/myself', { signal }).then((r) => r.json() as Promise<unknown>),
    ]);
    return parseResponse(MyselfSchema, myself, 200);
  },
  staleTime: 5 * 60_000,
});

/**
 * Whether `myself` holds any of `anyOf`: the one rule for what the console offers a user (pages,
 * navigation, buttons). The backend checks the same permissions; the console only hides what they forbid.
 */
export function can(myself: Myself | undefined, anyOf: Permission | readonly Permission[]): boolean {
  if (!myself) return false;
  return (typeof anyOf === 'string' ? [anyOf] : anyOf).some((p) => myself.permissions.includes(p));
}

/** The signed-in user (once known) and `can` for them. */
export function useAuthorization() {
  const { data: myself } = useQuery(myselfQueryOptions);
  return { myself, can: (anyOf: Permission | readonly Permission[]) => can(myself, anyOf) };
}
