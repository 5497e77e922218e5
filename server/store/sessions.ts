import type Database from 'better-sqlite3';

/** A signed-in browser session of the real server (the cookie holds the id; only its hash is stored). */
export interface SessionRecord {
  idHash: string;
  userKey: string;
  csrfToken: string;
  /** ISO 8601 instants, as `Date.toISOString()` writes them (sessions compare them as text). */
  createdAt: string;
  expiresAt: string;
}

export interface SessionRow {
  id_hash: string;
  user_key: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

/** The browser sessions of the real server, in the `sessions` table of its SQLite database. */
export class SqliteSessions {
  private readonly s;

  constructor(db: Database.Database) {
    const p = (sql: string) => db.prepare<unknown[], unknown>(sql);
    this.s = {
      create: p(
        'INSERT INTO sessions (id_hash, user_key, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      ),
      find: p('SELECT * FROM sessions WHERE id_hash = ?'),
      delete: p('DELETE FROM sessions WHERE id_hash = ?'),
      purge: p('DELETE FROM sessions WHERE expires_at <= ?'),
    };
  }

  create(session: SessionRecord): void {
    this.s.create.run(
      session.idHash,
      session.userKey,
      session.csrfToken,
      session.createdAt,
      session.expiresAt,
    );
  }
  /** The session with this id hash; with `now`, only while it has not expired. */
  find(idHash: string, now?: Date): SessionRecord | undefined {
    return liveSession(this.s.find.get(idHash) as SessionRow | undefined, now);
  }
  /** Whether there was such a session. */
  delete(idHash: string): boolean {
    return this.s.delete.run(idHash).changes > 0;
  }
  /** Deletes the sessions expired at `now`; returns how many. */
  purge(now: Date | string): number {
    return this.s.purge.run(typeof now === 'string' ? now : now.toISOString()).changes;
  }
}

/** The session of the row; none when there is no row, or (with `now`) once it has expired. */
export function liveSession(row: SessionRow | undefined, now?: Date): SessionRecord | undefined {
  if (!row || (now !== undefined && row.expires_at <= now.toISOString())) return undefined;
  return {
    idHash: row.id_hash,
    userKey: row.user_key,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
