import { z } from 'zod';

/**
 * The Jira-shaped REST surface of the protected resource (`/rest/api/2`, also `/rest/api/latest`):
 * the few resources that Jira clients (python-jira, jira.js, curl scripts) read with their defaults,
 * answered honestly small but in Jira's shapes.
 */
export const JIRA_API_PATH = '/rest/api/2';
/** Jira's alias of the newest REST version, which clients use as often as `2`. */
export const JIRA_API_LATEST_PATH = '/rest/api/latest';

const instant = z.iso.datetime();

/** `GET /serverInfo`: python-jira reads `versionNumbers` and `deploymentType` when it is constructed. */
export const ServerInfoSchema = z.object({
  baseUrl: z.string(),
  /** This product's version (not a Jira version). */
  version: z.string(),
  versionNumbers: z.array(z.number().int()).length(3),
  deploymentType: z.literal('DataCenter'),
  serverTime: instant,
  serverTitle: z.string(),
});
export type ServerInfo = z.infer<typeof ServerInfoSchema>;

/** A user as Jira Data Center names one (`name` is the username). */
export const JiraUserSchema = z.object({
  self: z.string(),
  key: z.string(),
  name: z.string(),
  displayName: z.string(),
  emailAddress: z.string(),
  active: z.boolean(),
});
export type JiraUser = z.infer<typeof JiraUserSchema>;

export const IssueTypeSchema = z.object({
  self: z.string(),
  id: z.string(),
  name: z.string(),
  description: z.string(),
  subtask: z.boolean(),
});
export type IssueType = z.infer<typeof IssueTypeSchema>;

const ProjectRefSchema = z.object({ self: z.string(), id: z.string(), key: z.string(), name: z.string() });

/** `GET /project` and `/project/{idOrKey}`: the one project issues are created in. */
export const ProjectSchema = ProjectRefSchema.extend({
  projectTypeKey: z.string(),
  issueTypes: z.array(IssueTypeSchema),
});
export type Project = z.infer<typeof ProjectSchema>;

/** An id or a key, as Jira's create request names a project or an issue type. */
const reference = <K extends string>(key: K) =>
  z.union([
    z.object({ id: z.string().min(1).max(255) }),
    z.object({ [key]: z.string().min(1).max(255) } as Record<K, z.ZodString>),
  ]);

/** `POST /issue`: Jira's create request (fields not listed here are ignored). */
export const CreateIssueRequestSchema = z.object({
  fields: z.object({
    project: reference('key'),
    issuetype: reference('name'),
    summary: z.string().trim().min(1, 'You must specify a summary of the issue.').max(255),
    description: z.string().max(32_000).nullable().optional(),
  }),
});
export type CreateIssueRequest = z.infer<typeof CreateIssueRequestSchema>;

export const CreatedIssueSchema = z.object({ id: z.string(), key: z.string(), self: z.string() });
export type CreatedIssue = z.infer<typeof CreatedIssueSchema>;

/** `GET /issue/{idOrKey}`: an issue created through this API. */
export const IssueSchema = CreatedIssueSchema.extend({
  fields: z.object({
    summary: z.string(),
    description: z.string().nullable(),
    issuetype: IssueTypeSchema,
    project: ProjectRefSchema,
    reporter: JiraUserSchema,
    creator: JiraUserSchema,
    created: instant,
    updated: instant,
    status: z.object({ self: z.string(), id: z.string(), name: z.string() }),
    labels: z.array(z.string()),
  }),
});
export type Issue = z.infer<typeof IssueSchema>;

export const JiraPermissionSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  type: z.literal('PROJECT'),
  description: z.string(),
  havePermission: z.boolean(),
});

/** `GET /mypermissions`: what the caller's credentials may do here. */
export const MyPermissionsSchema = z.object({
  permissions: z.record(z.string(), JiraPermissionSchema),
});
export type MyPermissions = z.infer<typeof MyPermissionsSchema>;

/** `GET /field`: the system fields of the issues here (python-jira maps names to ids with it). */
export const JiraFieldSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  custom: z.boolean(),
  orderable: z.boolean(),
  navigable: z.boolean(),
  searchable: z.boolean(),
  clauseNames: z.array(z.string()),
  schema: z.object({ type: z.string(), system: z.string() }),
});
export type JiraField = z.infer<typeof JiraFieldSchema>;
