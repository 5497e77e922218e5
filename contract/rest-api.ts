import { z } from 'zod';
import { BASE_PATH } from './api';
import { AuditRecordSchema } from './audit';
import { AuditExportQuerySchema, AuditRecordsPageSchema, AuditRecordsQuerySchema } from './audit-query';
import { DemoAccountSchema, DemoSessionRequestSchema, DemoTrafficSummarySchema } from './demo-schemas';
import { HistogramQuerySchema, HistogramSchema } from './histogram';
import {
  CreatedIssueSchema,
  CreateIssueRequestSchema,
  IssueSchema,
  IssueTypeSchema,
  JiraFieldSchema,
  JiraUserSchema,
  MyPermissionsSchema,
  ProjectSchema,
  ServerInfoSchema,
} from './jira';
import {
  LogEntriesPageSchema,
  LogEntriesQuerySchema,
  LoggerNameSchema,
  LoggersResponseSchema,
  SetLevelRequestSchema,
} from './logging';
import { OverviewQuerySchema, OverviewSchema } from './overview';
import { SettingsInputSchema, SettingsSchema } from './settings';
import { TokenPolicySchema } from './token-policy';
import {
  CreatedTokenSchema,
  CreateTokenRequestSchema,
  DeletedTokensSchema,
  DirectoryUserSchema,
  RotateTokenRequestSchema,
  TokenListQuerySchema,
  TokenPageSchema,
  TokenSchema,
  UpdateTokenRequestSchema,
} from './tokens';
import { DirectoryQuerySchema, MyselfSchema, SignInRequestSchema } from './user-schemas';
import {
  VENDOR_TOKEN_API_PATH,
  VendorCreatedTokenSchema,
  VendorCreateTokenRequestSchema,
  VendorTokenFilterSchema,
  VendorUpdateTokenRequestSchema,
} from './vendor-tokens';

/**
 * Every operation of the REST API, with the contract's schemas of what it takes and answers: the one
 * description the OpenAPI document (openapi.ts) is generated from. A test walks the document against
 * both hosts, and another compares this list with the routes the backend really has.
 */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI's path template: `{name}` for a path parameter. */
  path: string;
  operationId: string;
  summary: string;
  tag: Tag;
  /** Who may call it: anyone, or an authenticated caller (a token, a password, the console session). */
  access: 'anyone' | 'authenticated';
  /** Its path parameters, each with its schema. */
  params?: Record<string, z.ZodType>;
  /** Its query parameters: the properties of this object. */
  query?: z.ZodObject;
  /** Request headers it reads. */
  headers?: Record<string, { schema: z.ZodType; required: boolean; description: string }>;
  /** A JSON request body. */
  body?: z.ZodType;
  /** Its success answer; `schema` absent: no body (204). */
  success: { status: 200 | 201 | 204; description: string; schema?: z.ZodType; contentTypes?: string[] };
  /** The problems it may answer beyond those of every operation (see PROBLEMS in openapi.ts). */
  problems?: number[];
  /** Only one host has it: the other answers 404. */
  only?: 'server' | 'demo';
}

export const TAGS = {
  console: 'Console API',
  jira: 'Jira-shaped protected resource',
  vendor: 'Vendor token API',
} as const;
export type Tag = (typeof TAGS)[keyof typeof TAGS];

/** The Jira-shaped surface answers under both names of its version (`/rest/api/2`, `/rest/api/latest`). */
const JIRA = '/rest/api/{apiVersion}';
export const JiraApiVersionSchema = z.enum(['2', 'latest']);
const jira = { apiVersion: JiraApiVersionSchema };

const TokenIdSchema = z.string().min(1).max(255);
const ok = (description: string, schema: z.ZodType) => ({ status: 200 as const, description, schema });
const noContent = (description: string) => ({ status: 204 as const, description });
const csv = z.string();

export const OPERATIONS: readonly Operation[] = [
  // ---------------------------------------------------------------------------------------------
  // The console's own API.
  {
    method: 'get',
    path: `${BASE_PATH}/health`,
    operationId: 'getHealth',
    summary: 'Whether the REST API answers',
    tag: TAGS.console,
    access: 'anyone',
    success: ok('The API answers.', z.object({ status: z.literal('ok') })),
  },
  {
    method: 'get',
    path: `${BASE_PATH}/openapi.json`,
    operationId: 'getOpenApiDocument',
    summary: 'This document',
    tag: TAGS.console,
    access: 'anyone',
    success: ok('The OpenAPI 3.1 document of the REST API.', z.record(z.string(), z.unknown())),
  },
  {
    method: 'post',
    path: `${BASE_PATH}/session`,
    operationId: 'signIn',
    summary: 'Sign in to the console (sets the session and CSRF cookies)',
    tag: TAGS.console,
    access: 'anyone',
    body: SignInRequestSchema,
    success: noContent('Signed in: the session cookie and the CSRF cookie are set.'),
    problems: [401],
    only: 'server',
  },
  {
    method: 'delete',
    path: `${BASE_PATH}/session`,
    operationId: 'signOut',
    summary: 'Sign out of the console',
    tag: TAGS.console,
    access: 'anyone',
    success: noContent('Signed out: the cookies are cleared.'),
    problems: [403],
    only: 'server',
  },
  {
    method: 'get',
    path: `${BASE_PATH}/myself`,
    operationId: 'getMyself',
    summary: 'The caller and what they may do',
    tag: TAGS.console,
    access: 'authenticated',
    success: ok('The caller.', MyselfSchema),
  },
  {
    method: 'get',
    path: `${BASE_PATH}/overview`,
    operationId: 'getOverview',
    summary: 'Token health, failed attempts and what is audited',
    tag: TAGS.console,
    access: 'authenticated',
    query: OverviewQuerySchema,
    success: ok('The overview.', OverviewSchema),
  },
  {
    method: 'get',
    path: `${BASE_PATH}/settings`,
    operationId: 'getSettings',
    summary: 'The authentication, permission and audit logging settings',
    tag: TAGS.console,
    access: 'authenticated',
    success: ok('The settings (their version is in the ETag).', SettingsSchema),
  },
  {
    method: 'put',
    path: `${BASE_PATH}/settings`,
    operationId: 'putSettings',
    summary: 'Replace the settings (compare-and-set on their ETag)',
    tag: TAGS.console,
    access: 'authenticated',
    headers: {
      'If-Match': {
        schema: z.string().max(255),
        required: true,
        description: 'The ETag of the settings that were edited, or `*`.',
      },
    },
    body: SettingsInputSchema,
    success: ok('The saved settings.', SettingsSchema),
    problems: [412, 428],
  },
  {
    method: 'get',
    path: `${BASE_PATH}/audit/records`,
    operationId: 'listAuditRecords',
    summary: 'Audit records, newest first, a keyset page at a time',
    tag: TAGS.console,
    access: 'authenticated',
    query: AuditRecordsQuerySchema,
    success: ok('A page of records.', AuditRecordsPageSchema),
  },
  {
    method: 'get',
    path: `${BASE_PATH}/audit/records/{id}`,
    operationId: 'getAuditRecord',
    summary: 'One audit record',
    tag: TAGS.console,
    access: 'authenticated',
    params: { id: z.string().max(255) },
    success: ok('The record.', AuditRecordSchema),
    problems: [404],
  },
  {
    method: 'get',
    path: `${BASE_PATH}/audit/histogram`,
    operationId: 'getAuditHistogram',
    summary: 'Matching audit records counted per time bucket and outcome',
    tag: TAGS.console,
    access: 'authenticated',
    query: HistogramQuerySchema,
    success: ok('The counts.', HistogramSchema),
  },
  {
    method: 'get',
    path: `${BASE_PATH}/audit/export`,
    operationId: 'exportAuditRecords',
    summary: 'Every matching audit record, streamed as CSV or JSON Lines',
    tag: TAGS.console,
    access: 'authenticated',
    query: AuditExportQuerySchema,
    success: {
      status: 200,
      description: 'The records (an attachment).',
      schema: csv,
      contentTypes: ['text/csv', 'application/x-ndjson'],
    },
  },
  {
    method: 'get',
    path: `${BASE_PATH}/groups`,
    operationId: 'listGroups',
    summary: "The user directory's groups",
    tag: TAGS.console,
    access: 'authenticated',
    query: DirectoryQuerySchema,
    success: ok('The groups containing the text.', z.array(z.string())),
  },
  {
    method: 'get',
    path: `${BASE_PATH}/users`,
    operationId: 'listUsers',
    summary: "The user directory's users (at most 20)",
    tag: TAGS.console,
    access: 'authenticated',
    query: DirectoryQuerySchema,
    success: ok('The users containing the text.', z.array(DirectoryUserSchema)),
  },
  {
    method: 'get',
    path: `${BASE_PATH}/token-policy`,
    operationId: 'getTokenPolicy',
    summary: 'The token policy as it applies to the caller',
    tag: TAGS.console,
    access: 'authenticated',
    success: ok('The policy.', TokenPolicySchema),
  },
  {
    method: 'get',
    path: `${BASE_PATH}/tokens`,
    operationId: 'listTokens',
    summary: "The caller's tokens, or every user's (Token Manager)",
    tag: TAGS.console,
    access: 'authenticated',
    query: TokenListQuerySchema,
    success: ok('A page of tokens.', TokenPageSchema),
  },
  {
    method: 'post',
    path: `${BASE_PATH}/tokens`,
    operationId: 'createToken',
    summary: 'Create a token (its secret is answered once)',
    tag: TAGS.console,
    access: 'authenticated',
    body: CreateTokenRequestSchema,
    success: { status: 201, description: 'The token and its secret.', schema: CreatedTokenSchema },
  },
  {
    method: 'patch',
    path: `${BASE_PATH}/tokens/{id}`,
    operationId: 'updateToken',
    summary: "Change a token's description, expiry (within the policy) or IP restrictions",
    tag: TAGS.console,
    access: 'authenticated',
    params: { id: TokenIdSchema },
    body: UpdateTokenRequestSchema,
    success: ok('The token.', TokenSchema),
    problems: [404],
  },
  {
    method: 'post',
    path: `${BASE_PATH}/tokens/{id}/rotate`,
    operationId: 'rotateToken',
    summary:
      'Give a token a new secret (answered once); the previous one stops at once or after a grace period',
    tag: TAGS.console,
    access: 'authenticated',
    params: { id: TokenIdSchema },
    body: RotateTokenRequestSchema,
    success: ok('The token and its new secret.', CreatedTokenSchema),
    problems: [404],
  },
  {
    method: 'delete',
    path: `${BASE_PATH}/tokens/{id}`,
    operationId: 'revokeToken',
    summary: 'Revoke a token',
    tag: TAGS.console,
    access: 'authenticated',
    params: { id: TokenIdSchema },
    success: noContent('Revoked.'),
    problems: [404],
  },
  {
    method: 'delete',
    path: `${BASE_PATH}/users/{key}/tokens`,
    operationId: 'revokeTokensOfUser',
    summary: 'Revoke every token of a user (Token Manager)',
    tag: TAGS.console,
    access: 'authenticated',
    params: { key: z.string().max(255) },
    success: ok('How many tokens were revoked.', DeletedTokensSchema),
    problems: [404],
  },
  {
    method: 'get',
    path: `${BASE_PATH}/logging/loggers`,
    operationId: 'listLoggers',
    summary: 'Configured and effective levels per logger and node',
    tag: TAGS.console,
    access: 'authenticated',
    success: ok('The loggers.', LoggersResponseSchema),
  },
  {
    method: 'put',
    path: `${BASE_PATH}/logging/loggers/{name}`,
    operationId: 'setLoggerLevel',
    summary: "Set a logger's level on every node, optionally until a revert",
    tag: TAGS.console,
    access: 'authenticated',
    params: { name: LoggerNameSchema },
    body: SetLevelRequestSchema,
    success: ok('The loggers.', LoggersResponseSchema),
    problems: [422],
  },
  {
    method: 'delete',
    path: `${BASE_PATH}/logging/loggers/{name}`,
    operationId: 'resetLoggerLevel',
    summary: 'Let a logger inherit its level again',
    tag: TAGS.console,
    access: 'authenticated',
    params: { name: LoggerNameSchema },
    success: ok('The loggers.', LoggersResponseSchema),
    problems: [422],
  },
  {
    method: 'get',
    path: `${BASE_PATH}/logging/entries`,
    operationId: 'listLogEntries',
    summary: 'Authentication log lines, newest first',
    tag: TAGS.console,
    access: 'authenticated',
    query: LogEntriesQuerySchema,
    success: ok('A page of log entries.', LogEntriesPageSchema),
  },
  {
    method: 'get',
    path: `${BASE_PATH}/demo/accounts`,
    operationId: 'listDemoAccounts',
    summary: "The demo's accounts (demo only)",
    tag: TAGS.console,
    access: 'anyone',
    success: ok('The accounts.', z.array(DemoAccountSchema)),
    only: 'demo',
  },
  {
    method: 'put',
    path: `${BASE_PATH}/demo/session`,
    operationId: 'switchDemoAccount',
    summary: 'Sign the demo in as one of its accounts (demo only)',
    tag: TAGS.console,
    access: 'anyone',
    body: DemoSessionRequestSchema,
    success: noContent('Signed in as that account.'),
    only: 'demo',
  },
  {
    method: 'delete',
    path: `${BASE_PATH}/demo/session`,
    operationId: 'signOutOfDemo',
    summary: 'Sign the demo out (demo only)',
    tag: TAGS.console,
    access: 'anyone',
    success: noContent('Signed out.'),
    only: 'demo',
  },
  {
    method: 'post',
    path: `${BASE_PATH}/demo/traffic`,
    operationId: 'sendDemoTraffic',
    summary: 'Send a burst of REST requests through the authentication engine (demo only)',
    tag: TAGS.console,
    access: 'authenticated',
    success: ok('What the burst did.', DemoTrafficSummarySchema),
    only: 'demo',
  },
  {
    method: 'post',
    path: `${BASE_PATH}/demo/reset`,
    operationId: 'resetDemo',
    summary: "Restore the demo's seeded data (demo only)",
    tag: TAGS.console,
    access: 'anyone',
    success: noContent('Restored.'),
    only: 'demo',
  },

  // ---------------------------------------------------------------------------------------------
  // The Jira-shaped protected resource.
  {
    method: 'get',
    path: `${JIRA}/serverInfo`,
    operationId: 'getServerInfo',
    summary: "The server's version and deployment type, as Jira answers them",
    tag: TAGS.jira,
    access: 'anyone',
    params: jira,
    success: ok('What this server is.', ServerInfoSchema),
  },
  {
    method: 'get',
    path: `${JIRA}/myself`,
    operationId: 'getJiraMyself',
    summary: 'The user the credentials belong to',
    tag: TAGS.jira,
    access: 'authenticated',
    params: jira,
    success: ok('The user.', JiraUserSchema),
  },
  {
    method: 'get',
    path: `${JIRA}/mypermissions`,
    operationId: 'getMyPermissions',
    summary: 'What the credentials may do here',
    tag: TAGS.jira,
    access: 'authenticated',
    params: jira,
    success: ok('The permissions.', MyPermissionsSchema),
  },
  {
    method: 'get',
    path: `${JIRA}/project`,
    operationId: 'listProjects',
    summary: 'The projects (one)',
    tag: TAGS.jira,
    access: 'authenticated',
    params: jira,
    success: ok('The projects.', z.array(ProjectSchema)),
  },
  {
    method: 'get',
    path: `${JIRA}/project/{idOrKey}`,
    operationId: 'getProject',
    summary: 'A project, with its issue types',
    tag: TAGS.jira,
    access: 'authenticated',
    params: { ...jira, idOrKey: z.string().max(255) },
    success: ok('The project.', ProjectSchema),
    problems: [404],
  },
  {
    method: 'get',
    path: `${JIRA}/issuetype`,
    operationId: 'listIssueTypes',
    summary: 'The issue types',
    tag: TAGS.jira,
    access: 'authenticated',
    params: jira,
    success: ok('The issue types.', z.array(IssueTypeSchema)),
  },
  {
    method: 'get',
    path: `${JIRA}/field`,
    operationId: 'listFields',
    summary: 'The fields of the issues here',
    tag: TAGS.jira,
    access: 'authenticated',
    params: jira,
    success: ok('The fields.', z.array(JiraFieldSchema)),
  },
  {
    method: 'post',
    path: `${JIRA}/issue`,
    operationId: 'createIssue',
    summary: 'Create an issue (Jira’s request)',
    tag: TAGS.jira,
    access: 'authenticated',
    params: jira,
    body: CreateIssueRequestSchema,
    success: { status: 201, description: 'The issue’s id, key and link.', schema: CreatedIssueSchema },
  },
  {
    method: 'get',
    path: `${JIRA}/issue/{idOrKey}`,
    operationId: 'getIssue',
    summary: 'An issue created here, by id or key',
    tag: TAGS.jira,
    access: 'authenticated',
    params: { ...jira, idOrKey: z.string().max(255) },
    success: ok('The issue.', IssueSchema),
    problems: [404],
  },

  // ---------------------------------------------------------------------------------------------
  // The vendor's token API.
  {
    method: 'get',
    path: `${VENDOR_TOKEN_API_PATH}/user/token`,
    operationId: 'vendorListOwnTokens',
    summary: "The caller's tokens",
    tag: TAGS.vendor,
    access: 'authenticated',
    success: ok('The tokens, oldest first.', z.array(TokenSchema)),
  },
  {
    method: 'post',
    path: `${VENDOR_TOKEN_API_PATH}/user/token`,
    operationId: 'vendorCreateToken',
    summary: 'Create a token (its secret is answered once, as plainTextToken)',
    tag: TAGS.vendor,
    access: 'authenticated',
    body: VendorCreateTokenRequestSchema,
    success: { status: 201, description: 'The token and its secret.', schema: VendorCreatedTokenSchema },
  },
  {
    method: 'patch',
    path: `${VENDOR_TOKEN_API_PATH}/user/token/{id}`,
    operationId: 'vendorUpdateToken',
    summary: "Change a token's description",
    tag: TAGS.vendor,
    access: 'authenticated',
    params: { id: TokenIdSchema },
    body: VendorUpdateTokenRequestSchema,
    success: ok('The token.', TokenSchema),
    problems: [404],
  },
  {
    method: 'delete',
    path: `${VENDOR_TOKEN_API_PATH}/user/token/{id}`,
    operationId: 'vendorRevokeToken',
    summary: 'Revoke a token',
    tag: TAGS.vendor,
    access: 'authenticated',
    params: { id: TokenIdSchema },
    success: noContent('Revoked.'),
    problems: [404],
  },
  {
    method: 'get',
    path: `${VENDOR_TOKEN_API_PATH}/tokensByFilter`,
    operationId: 'vendorFilterTokens',
    summary: "Every user's tokens, filtered (Token Manager)",
    tag: TAGS.vendor,
    access: 'authenticated',
    query: VendorTokenFilterSchema,
    success: ok('A page of tokens.', TokenPageSchema),
  },
];
