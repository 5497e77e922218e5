import type Database from 'better-sqlite3';

/**
 * The SQLite store's fixed statements, prepared once when the store opens (the audit filters' statements
 * vary with the filter and live in scans.ts' StatementCache).
 */
export function prepareSqliteStatements(db: Database.Database) {
  const p = (sql: string) => db.prepare<unknown[], unknown>(sql);
  return {
    listUsers: p('SELECT * FROM users ORDER BY rowid'),
    userByKey: p('SELECT * FROM users WHERE key = ?'),
    userByUsername: p('SELECT * FROM users WHERE username = ?'),
    insertUser: p(
      `INSERT INTO users (key, username, display_name, email, groups_json, role, password_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    passwordHash: p('SELECT password_hash FROM users WHERE username = ?').pluck(),
    setPassword: p('UPDATE users SET password_hash = ? WHERE username = ?'),
    groups: p(
      'SELECT DISTINCT g.value FROM users, json_each(users.groups_json) AS g ORDER BY g.value',
    ).pluck(),

    settings: p('SELECT json, version, updated_at, updated_by FROM settings WHERE id = 1'),
    settingsVersion: p('SELECT version FROM settings WHERE id = 1').pluck(),
    saveSettings: p(
      `INSERT INTO settings (id, json, version, updated_at, updated_by) VALUES (1, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET json = excluded.json, version = excluded.version,
         updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    ),

    tokenById: p('SELECT * FROM tokens WHERE id = ?'),
    tokenByHash: p('SELECT * FROM tokens WHERE secret_hash = @hash OR previous_secret_hash = @hash'),
    tokensOfOwner: p('SELECT * FROM tokens WHERE owner_key = ? ORDER BY rowid'),
    insertToken: p(
      `INSERT INTO tokens (id, owner_key, owner_username, description, scope, created_at, created_by,
         expires_at, last_used_at, last_used_ip, ip_restrictions_json, secret_hash,
         previous_secret_hash, previous_secret_expires_at, created_ms, expires_ms, last_used_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    recordTokenUse: p('UPDATE tokens SET last_used_at = ?, last_used_ms = ?, last_used_ip = ? WHERE id = ?'),
    updateToken: p(
      `UPDATE tokens SET description = @description, expires_at = @expiresAt, expires_ms = @expiresMs,
         ip_restrictions_json = @ipRestrictions WHERE id = @id`,
    ),
    // The right-hand sides read the row as it was: the current secret becomes the previous one.
    rotateTokenSecret: p(
      `UPDATE tokens SET
         previous_secret_hash = CASE WHEN @previousExpiresAt IS NULL THEN NULL ELSE secret_hash END,
         previous_secret_expires_at = @previousExpiresAt,
         secret_hash = @secretHash
       WHERE id = @id`,
    ),
    deleteToken: p('DELETE FROM tokens WHERE id = ?'),
    deleteTokensOfOwner: p('DELETE FROM tokens WHERE owner_key = ?'),

    insertAudit: p(
      `INSERT INTO audit_records (id, timestamp, category, summary, author_username_lc,
         author_display_name_lc, client_ip, client_ip_key, proxy_ip_key, details_username,
         search_text, record_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // The indexes migration 4 added, written with the record (migration 6).
    insertAuditObject: p('INSERT OR IGNORE INTO audit_objects (value, record_id) VALUES (?, ?)'),
    auditById: p('SELECT timestamp, record_json FROM audit_records WHERE id = ?'),
    maxAuditId: p('SELECT max(id) FROM audit_records').pluck(),
    purgeAudit: p('DELETE FROM audit_records WHERE timestamp < ?'),

    insertLog: p(
      'INSERT INTO log_entries (id, timestamp, level, logger, node, record_json) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    maxLogId: p('SELECT max(id) FROM log_entries').pluck(),

    listNodes: p('SELECT node FROM nodes ORDER BY rowid').pluck(),
    insertNode: p('INSERT OR IGNORE INTO nodes (node) VALUES (?)'),
    loggersOf: p('SELECT node, name, level FROM loggers WHERE node = ? OR node = ? ORDER BY node = ?, rowid'),
    setLogger: p(
      `INSERT INTO loggers (node, name, level) VALUES (?, ?, ?)
       ON CONFLICT (node, name) DO UPDATE SET level = excluded.level`,
    ),
    listReverts: p('SELECT name, revert_at, previous_json, set_by FROM level_reverts ORDER BY rowid'),
    setRevert: p(
      `INSERT INTO level_reverts (name, revert_at, previous_json, set_by) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET revert_at = excluded.revert_at,
         previous_json = excluded.previous_json, set_by = excluded.set_by`,
    ),
    deleteRevert: p('DELETE FROM level_reverts WHERE name = ?'),

    getMeta: p('SELECT value FROM meta WHERE key = ?').pluck(),
    setMeta: p(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    deleteMeta: p('DELETE FROM meta WHERE key = ?'),

    insertIssue: p(
      `INSERT INTO issues (id, key, project_key, number, issue_type_id, summary, description,
         reporter_key, reporter_username, created_at)
       VALUES (
         (SELECT coalesce(max(id) + 1, @firstId) FROM issues),
         @projectKey || '-' || (SELECT coalesce(max(number), 0) + 1 FROM issues WHERE project_key = @projectKey),
         @projectKey,
         (SELECT coalesce(max(number), 0) + 1 FROM issues WHERE project_key = @projectKey),
         @issueTypeId, @summary, @description, @reporterKey, @reporterUsername, @createdAt)
       RETURNING *`,
    ),
    issueByKey: p('SELECT * FROM issues WHERE key = ?'),
    issueById: p('SELECT * FROM issues WHERE id = ?'),
  };
}

export type SqliteStatements = ReturnType<typeof prepareSqliteStatements>;
