import type { AffectedObject, AuditEvent, ChangedValue, Credential } from '../../contract/audit';
import { SCOPE_LABELS, type Token } from '../../contract/tokens';
import type { User } from '../../contract/users';
import type { ClientInfo } from '../http/context';
import type { NewAuditRecord } from '../store/port';
import { auditRecord, authorOf } from './audit';

/** Where an audited request came from: the acting user, how they proved who they are, and the request. */
export interface AuditSource {
  actor: User;
  credential: Credential | null;
  client: ClientInfo;
  method: string;
  endpoint: string;
  at: Date;
}

const userObject = (user: Pick<User, 'key' | 'username'>): AffectedObject => ({
  type: 'user',
  id: user.key,
  name: user.username,
});
const tokenObject = (token: Token): AffectedObject => ({
  type: 'token',
  id: token.id,
  name: token.description,
});

/** The properties of a token as the audit log shows them. */
function tokenValues(token: Token): [string, string][] {
  return [
    ['Description', token.description],
    ['Scope', SCOPE_LABELS[token.scope]],
    ['Expires', token.expiresAt ?? 'Never'],
    ['IP restrictions', token.ipRestrictions.length > 0 ? token.ipRestrictions.join(', ') : '(none)'],
  ];
}

function record(
  summary: AuditEvent,
  source: AuditSource,
  affectedObjects: AffectedObject[],
  changedValues: ChangedValue[],
  details: NewAuditRecord['details'],
): NewAuditRecord {
  return auditRecord({
    summary,
    at: source.at,
    author: authorOf(source.actor),
    client: source.client,
    method: source.method,
    affectedObjects,
    changedValues,
    details: {
      ...details,
      endpoint: source.endpoint,
      ...(source.credential && { credential: source.credential }),
    },
  });
}

const tokenDetails = (token: Token): NewAuditRecord['details'] => ({
  tokenId: token.id,
  tokenDescription: token.description,
  scope: token.scope,
  username: token.ownerUsername,
});

/**
 * "API token created" / "API token deleted": always written, whatever the Audit Logging options, with
 * the token id so that a revocation can be matched to its creation.
 */
export function tokenAuditRecord(
  summary: 'API token created' | 'API token deleted',
  token: Token,
  owner: Pick<User, 'key' | 'username'>,
  source: AuditSource,
): NewAuditRecord {
  const created = summary === 'API token created';
  return record(
    summary,
    source,
    [userObject(owner), tokenObject(token)],
    tokenValues(token).map(([field, value]) => ({
      field,
      from: created ? null : value,
      to: created ? value : null,
    })),
    tokenDetails(token),
  );
}

/** "API token updated": the values that changed, old → new. */
export function tokenUpdatedRecord(
  before: Token,
  after: Token,
  owner: Pick<User, 'key' | 'username'>,
  source: AuditSource,
): NewAuditRecord {
  const old = new Map(tokenValues(before));
  return record(
    'API token updated',
    source,
    [userObject(owner), tokenObject(after)],
    tokenValues(after)
      .filter(([field, value]) => old.get(field) !== value)
      .map(([field, value]) => ({ field, from: old.get(field) ?? null, to: value })),
    tokenDetails(after),
  );
}

/**
 * "API token rotated": the token got a new secret (its settings unchanged); until when the previous
 * secret works. The secrets themselves are never recorded.
 */
export function tokenRotatedRecord(
  token: Token,
  owner: Pick<User, 'key' | 'username'>,
  source: AuditSource,
): NewAuditRecord {
  return record(
    'API token rotated',
    source,
    [userObject(owner), tokenObject(token)],
    [
      { field: 'Secret', from: 'previous secret', to: 'new secret' },
      {
        field: 'Previous secret works until',
        from: null,
        to: token.previousSecretExpiresAt ?? 'Stopped at once',
      },
    ],
    tokenDetails(token),
  );
}

/** "All API tokens of a user deleted": the user and every deleted token. */
export function allTokensDeletedRecord(
  owner: Pick<User, 'key' | 'username'>,
  deleted: readonly Token[],
  source: AuditSource,
): NewAuditRecord {
  return record(
    'All API tokens of a user deleted',
    source,
    [userObject(owner), ...deleted.map(tokenObject)],
    [{ field: 'Tokens', from: String(deleted.length), to: '0' }],
    { username: owner.username },
  );
}
