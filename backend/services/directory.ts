import type { DirectoryUser } from '../../contract/tokens';
import type { User } from '../../contract/users';

export const MAX_DIRECTORY_USERS = 20;

/** Users whose username or display name contains `query` (case-insensitive), at most 20. */
export function searchUsers(users: readonly User[], query: string): DirectoryUser[] {
  const q = query.trim().toLowerCase();
  const result: DirectoryUser[] = [];
  for (const user of users) {
    if (result.length >= MAX_DIRECTORY_USERS) break;
    if (q && !user.username.toLowerCase().includes(q) && !user.displayName.toLowerCase().includes(q))
      continue;
    result.push({ key: user.key, username: user.username, displayName: user.displayName });
  }
  return result;
}
