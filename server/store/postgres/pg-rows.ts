import type { User } from '../../../contract/users';
import type { StoredToken } from '../../../backend/store/port';
import { tokenParams } from '../rows';

/*
 * Rows of the PostgreSQL tables as the store and `db:copy` insert them in bulk (insertRows in sql.ts).
 */

/** The token columns (as the SQLite store has them), and the lower-cased description the text filter searches. */
export const TOKEN_COLUMNS = [
  'id',
  'owner_key',
  'owner_username',
  'description',
  'scope',
  'created_at',
  'created_by',
  'expires_at',
  'last_used_at',
  'last_used_ip',
  'ip_restrictions_json',
  'secret_hash',
  'previous_secret_hash',
  'previous_secret_expires_at',
  'created_ms',
  'expires_ms',
  'last_used_ms',
  'description_lc',
];
export const LOG_COLUMNS = ['id', 'timestamp', 'level', 'logger', 'node', 'record_json'];
export const USER_COLUMNS = [
  'key',
  'username',
  'display_name',
  'email',
  'groups_json',
  'role',
  'password_hash',
];

export const userRow = (u: User, passwordHash: string | null): unknown[] => [
  u.key,
  u.username,
  u.displayName,
  u.email,
  JSON.stringify(u.groups),
  u.role,
  passwordHash,
];

export const tokenRow = (t: StoredToken): unknown[] => [...tokenParams(t), t.description.toLowerCase()];

/** The number of an id such as 'ar-000000042' (0 for none). */
export const idNumber = (id: string | undefined) =>
  id === undefined ? 0 : Number(/\d+$/.exec(id)?.[0] ?? 0);

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the PostgreSQL database';
  }
}
