/**
 * The root of every query key, one per kind of server data. Each feature's api.ts builds its keys
 * under its root; a change made in one feature refreshes another's data by the root alone (features
 * never import each other).
 */
export const QUERY_ROOTS = {
  myself: ['myself'],
  demoAccounts: ['demo', 'accounts'],
  settings: ['settings'],
  groups: ['groups'],
  tokens: ['tokens'],
  users: ['users'],
  audit: ['audit'],
  logging: ['logging'],
  overview: ['overview'],
} as const;
