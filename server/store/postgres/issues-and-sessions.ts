import type { Pool } from 'pg';
import { FIRST_ISSUE_ID, type NewIssue, type StoredIssue } from '../../../backend/store/port';
import { ISSUE_ID, toIssue, type IssueRow } from '../rows';
import { liveSession, type SessionRecord, type SessionRow } from '../sessions';
import { transaction } from './sql';

/** The issues created through the vendor's REST API (/rest/api/2/issue), in PostgreSQL. */
export class PgIssues {
  constructor(private readonly pool: Pool) {}

  /** The next id and the project's next number, under a lock that makes creations take turns. */
  async create(issue: NewIssue): Promise<StoredIssue> {
    return transaction(this.pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('atc issues ' || current_schema()))");
      const { rows } = await client.query<IssueRow>(
        `INSERT INTO issues (id, key, project_key, number, issue_type_id, summary, description,
           reporter_key, reporter_username, created_at)
         SELECT (SELECT coalesce(max(id) + 1, $1) FROM issues), $2 || '-' || n, $2, n, $3, $4, $5, $6, $7, $8
         FROM (SELECT coalesce(max(number), 0) + 1 AS n FROM issues WHERE project_key = $2) AS next
         RETURNING *`,
        [
          FIRST_ISSUE_ID,
          issue.projectKey,
          issue.issueTypeId,
          issue.summary,
          issue.description,
          issue.reporterKey,
          issue.reporterUsername,
          issue.createdAt,
        ],
      );
      return toIssue(rows[0]!);
    });
  }
  async find(idOrKey: string): Promise<StoredIssue | undefined> {
    const { rows } = await this.pool.query<IssueRow>(
      ISSUE_ID.test(idOrKey) ? 'SELECT * FROM issues WHERE id = $1' : 'SELECT * FROM issues WHERE key = $1',
      [idOrKey],
    );
    return rows[0] && toIssue(rows[0]);
  }
}

/** The browser sessions of the real server, shared by every node of a cluster (SqliteSessions' twin). */
export class PgSessions {
  constructor(private readonly pool: Pool) {}

  async create(session: SessionRecord): Promise<void> {
    await this.pool.query(
      'INSERT INTO sessions (id_hash, user_key, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
      [session.idHash, session.userKey, session.csrfToken, session.createdAt, session.expiresAt],
    );
  }
  /** The session with this id hash; with `now`, only while it has not expired. */
  async find(idHash: string, now?: Date): Promise<SessionRecord | undefined> {
    const { rows } = await this.pool.query<SessionRow>('SELECT * FROM sessions WHERE id_hash = $1', [idHash]);
    return liveSession(rows[0], now);
  }
  /** Whether there was such a session. */
  async delete(idHash: string): Promise<boolean> {
    return ((await this.pool.query('DELETE FROM sessions WHERE id_hash = $1', [idHash])).rowCount ?? 0) > 0;
  }
  /** Deletes the sessions expired at `now`; returns how many. */
  async purge(now: Date | string): Promise<number> {
    const at = typeof now === 'string' ? now : now.toISOString();
    return (await this.pool.query('DELETE FROM sessions WHERE expires_at <= $1', [at])).rowCount ?? 0;
  }
}
