import { SCOPE_LABELS, type TokenScope } from '../../contract/tokens';
import { logText as text, logWord as word } from '../logging/log-encoding';

/**
 * The authentication log lines, in the vendor's published formats (docs/domain.md, "Loggers and log
 * lines"): each names the event, the token's description and scope where there is a token, the
 * username and the REST endpoint. Every value from outside is encoded where it enters the line (see
 * log-encoding.ts): a username or a path cannot end the line or pass for more of the message, a
 * description cannot close its quotes.
 */

interface TokenFacts {
  description: string;
  scope: TokenScope;
  createdAt: string;
}

const CREATED_FORMAT = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
  hour12: true,
  timeZone: 'UTC',
});

/** "Jan 6, 2021 2:14:46 PM", as in the vendor's example (UTC). */
export function formatCreated(iso: string): string {
  let formatted = formattedDates.get(iso);
  if (formatted === undefined) {
    formatted = CREATED_FORMAT.format(new Date(iso))
      .replace(/(\d{4}), /, '$1 ')
      .replace(/\u202f/g, ' ');
    if (formattedDates.size >= 1000) formattedDates.clear();
    formattedDates.set(iso, formatted);
  }
  return formatted;
}

/** A token's creation date is in every line of its successful authentications: formatted once. */
const formattedDates = new Map<string, string>();

export const logLines = {
  /** Two lines: the original one, and the one added in 2.1 that log analyzers can parse. */
  authenticated: (token: TokenFacts, username: string, endpoint: string): [string, string] => [
    `Found a matching token for authenticating user ${word(username)}, created on ${Date.parse(token.createdAt)}. REST endpoint: ${word(endpoint)}`,
    `Found a matching token "${text(token.description)}" with ${SCOPE_LABELS[token.scope]} scope and authenticated user ${word(username)}. Token was created on ${formatCreated(token.createdAt)}. REST endpoint: ${word(endpoint)}`,
  ],
  passedOn: (username: string, endpoint: string) =>
    `User ${word(username)} tried to authenticate with an invalid token or a regular password. Passing the request further to the default authenticator. REST endpoint: ${word(endpoint)}`,
  bearerPassedOn: (endpoint: string) =>
    `A bearer token did not match any API token. Passing the request further to the other authenticators. REST endpoint: ${word(endpoint)}`,
  basicFailed: (username: string, endpoint: string) =>
    `Token verification for user ${word(username)} failed: No valid API token was provided and basic auth with password or personal access token is disabled. REST endpoint: ${word(endpoint)}`,
  bearerFailed: (endpoint: string) =>
    `Token verification failed: No valid API token was provided in the bearer authorization header and bearer authentication with other authenticators is disabled. REST endpoint: ${word(endpoint)}`,
  ipRestricted: (token: TokenFacts, username: string, clientIp: string, endpoint: string) =>
    `Authentication of user ${word(username)} with token "${text(token.description)}" (${SCOPE_LABELS[token.scope]} scope) was refused: the IP address ${word(clientIp)} is not allowed by the IP restrictions. REST endpoint: ${word(endpoint)}`,
  expired: (token: TokenFacts, username: string, expiresAt: string, endpoint: string) =>
    `Authentication of user ${word(username)} with token "${text(token.description)}" (${SCOPE_LABELS[token.scope]} scope) was refused: the token expired on ${formatCreated(expiresAt)}. REST endpoint: ${word(endpoint)}`,
  notAllowed: (token: TokenFacts, username: string, endpoint: string) =>
    `Authentication of user ${word(username)} with token "${text(token.description)}" (${SCOPE_LABELS[token.scope]} scope) was refused: the user is not allowed to use API tokens. REST endpoint: ${word(endpoint)}`,
  permissionDenied: (token: TokenFacts, username: string, method: string, endpoint: string) =>
    `Permission denied for user ${word(username)}: token "${text(token.description)}" has ${SCOPE_LABELS[token.scope]} scope and cannot be used for a ${word(method)} request. Returning 403. REST endpoint: ${word(endpoint)}`,
  rateLimited: (
    token: TokenFacts,
    username: string,
    requestsPerMinute: number,
    burst: number,
    endpoint: string,
  ) =>
    `Rate limit exceeded for user ${word(username)} with token "${text(token.description)}" (${SCOPE_LABELS[token.scope]} scope): more than ${requestsPerMinute} requests per minute (burst ${burst}). Returning 429. REST endpoint: ${word(endpoint)}`,
  sourceRateLimited: (source: string, requestsPerMinute: number, burst: number, endpoint: string) =>
    `Rate limit exceeded for source ${word(source)}: its failed attempts used up its ${requestsPerMinute} requests per minute (burst ${burst}). Returning 429. REST endpoint: ${word(endpoint)}`,
};
