import { Hono } from 'hono';
import { version } from '../../package.json';
import {
  CreateIssueRequestSchema,
  type CreatedIssue,
  type Issue,
  type IssueType,
  type JiraField,
  type JiraUser,
  type MyPermissions,
  type Project,
  type ServerInfo,
  JIRA_API_PATH,
} from '../../contract/jira';
import type { User } from '../../contract/users';
import type { AppContext, AppEnv } from '../http/context';
import { notFound, parseJsonBody, unauthorized, unprocessable } from '../http/problem';
import type { StoredIssue } from '../store/port';

/**
 * A small protected REST resource in Jira's shapes (`/rest/api/2`, also `/rest/api/latest`), for
 * clients to use their tokens as they would against Jira Data Center: enough of it for python-jira,
 * jira.js and curl scripts to work with their defaults (server info, myself, one project, creating an
 * issue and reading it back, permissions, fields). It answers only requests with credentials (which
 * the authentication engine decided), so a write with a Read Only token shows the 403.
 */
function tokenCaller(c: AppContext): User {
  const user = c.get('user');
  if (!user || c.get('credential')?.kind === 'session') {
    throw unauthorized('Send an API token: Authorization: Bearer TOKEN, or Basic USER:TOKEN.');
  }
  return user;
}

/**
 * This server's address as the request named it, for Jira's `self` links. (Cut from the absolute URL
 * rather than parsed: `/myself` is on the token path that benchmarks measure.)
 */
function baseUrl(c: AppContext): string {
  const { url } = c.req;
  const path = url.indexOf('/', url.indexOf('//') + 2);
  return path < 0 ? url : url.slice(0, path);
}
/** Where Jira's `self` links point (version 2, as Jira's own do, whichever alias was asked). */
const restRoot = (c: AppContext) => `${baseUrl(c)}${JIRA_API_PATH}`;

const PROJECT = { id: '10000', key: 'DEMO', name: 'Demo' } as const;
const ISSUE_TYPES = [
  { id: '10001', name: 'Task', description: 'A task that needs to be done.' },
  {
    id: '10002',
    name: 'Bug',
    description: 'A problem which impairs or prevents the functions of the product.',
  },
] as const;
const OPEN_STATUS = { id: '1', name: 'Open' } as const;

function issueType(c: AppContext, type: (typeof ISSUE_TYPES)[number]): IssueType {
  return { self: `${restRoot(c)}/issuetype/${type.id}`, ...type, subtask: false };
}
const projectRef = (c: AppContext) => ({ self: `${restRoot(c)}/project/${PROJECT.id}`, ...PROJECT });
const project = (c: AppContext): Project => ({
  ...projectRef(c),
  projectTypeKey: 'software',
  issueTypes: ISSUE_TYPES.map((t) => issueType(c, t)),
});

const userSelf = (c: AppContext, username: string) =>
  `${restRoot(c)}/user?username=${encodeURIComponent(username)}`;

function jiraUser(c: AppContext, user: User): JiraUser {
  return {
    self: userSelf(c, user.username),
    key: user.key,
    name: user.username,
    displayName: user.displayName,
    emailAddress: user.email,
    active: true,
  };
}

const JSON_CONTENT = { 'content-type': 'application/json' } as const;
/**
 * `GET /myself` as JSON, made once per user object and address (stores hand out the same user object
 * until it changes): the call clients make to check a token is on the path benchmarks measure.
 */
const myselfBodies = new WeakMap<User, { root: string; body: string }>();
function myselfBody(c: AppContext, user: User): string {
  const root = restRoot(c);
  let made = myselfBodies.get(user);
  if (made?.root !== root) {
    made = { root, body: JSON.stringify(jiraUser(c, user)) };
    myselfBodies.set(user, made);
  }
  return made.body;
}

/** The reporter of an issue: the user, or what the issue remembers of one removed since. */
async function reporterOf(c: AppContext, issue: StoredIssue): Promise<JiraUser> {
  const user = await c.get('deps').store.findUserByKey(issue.reporterKey);
  if (user) return jiraUser(c, user);
  const name = issue.reporterUsername;
  const key = issue.reporterKey;
  return { self: userSelf(c, name), key, name, displayName: name, emailAddress: '', active: false };
}

async function issueBody(c: AppContext, issue: StoredIssue): Promise<Issue> {
  const type = ISSUE_TYPES.find((t) => t.id === issue.issueTypeId) ?? ISSUE_TYPES[0];
  const reporter = await reporterOf(c, issue);
  return {
    id: issue.id,
    key: issue.key,
    self: `${restRoot(c)}/issue/${issue.id}`,
    fields: {
      summary: issue.summary,
      description: issue.description,
      issuetype: issueType(c, type),
      project: projectRef(c),
      reporter,
      creator: reporter,
      created: issue.createdAt,
      updated: issue.createdAt,
      status: { self: `${restRoot(c)}/status/${OPEN_STATUS.id}`, ...OPEN_STATUS },
      labels: [],
    },
  };
}

/** The system fields of the issues here, as `GET /field` lists them. */
const FIELDS: readonly [id: string, name: string, type: string][] = [
  ['summary', 'Summary', 'string'],
  ['description', 'Description', 'string'],
  ['issuetype', 'Issue Type', 'issuetype'],
  ['project', 'Project', 'project'],
  ['reporter', 'Reporter', 'user'],
  ['creator', 'Creator', 'user'],
  ['created', 'Created', 'datetime'],
  ['updated', 'Updated', 'datetime'],
  ['status', 'Status', 'status'],
  ['labels', 'Labels', 'array'],
];

export const protectedResourceRoutes = new Hono<AppEnv>()
  // Anonymous too, as in Jira: clients read it before they authenticate anything.
  .get('/serverInfo', (c) => {
    const body: ServerInfo = {
      baseUrl: baseUrl(c),
      version,
      versionNumbers: version.split('.', 3).map((n) => Number.parseInt(n, 10)),
      deploymentType: 'DataCenter',
      serverTime: c.get('deps').now().toISOString(),
      serverTitle: 'API Token Console',
    };
    return c.json(body);
  })
  .get('/myself', (c) => c.body(myselfBody(c, tokenCaller(c)), 200, JSON_CONTENT))
  .get('/mypermissions', (c) => {
    tokenCaller(c);
    // What this server lets the credentials do: read with any token, write unless it is Read Only.
    const write = c.get('token')?.scope !== 'READ_ONLY';
    const permission = (key: string, id: string, name: string, description: string, have: boolean) => ({
      [key]: { id, key, name, type: 'PROJECT' as const, description, havePermission: have },
    });
    const body: MyPermissions = {
      permissions: {
        ...permission(
          'BROWSE_PROJECTS',
          '10',
          'Browse Projects',
          'Read the projects and their issues.',
          true,
        ),
        ...permission('CREATE_ISSUES', '11', 'Create Issues', 'Create issues.', write),
      },
    };
    return c.json(body);
  })
  .get('/project', (c) => {
    tokenCaller(c);
    return c.json([project(c)]);
  })
  .get('/project/:idOrKey', (c) => {
    tokenCaller(c);
    const idOrKey = c.req.param('idOrKey');
    if (idOrKey !== PROJECT.id && idOrKey !== PROJECT.key) throw notFound('No project could be found.');
    return c.json(project(c));
  })
  .get('/issuetype', (c) => {
    tokenCaller(c);
    return c.json(ISSUE_TYPES.map((t) => issueType(c, t)));
  })
  .get('/field', (c) => {
    tokenCaller(c);
    const body: JiraField[] = FIELDS.map(([id, name, type]) => ({
      id,
      key: id,
      name,
      custom: false,
      orderable: !['created', 'updated', 'creator', 'status'].includes(id),
      navigable: true,
      searchable: true,
      clauseNames: [id],
      schema: { type, system: id },
    }));
    return c.json(body);
  })
  .post('/issue', async (c) => {
    const user = tokenCaller(c);
    const { fields } = await parseJsonBody(c.req.raw, CreateIssueRequestSchema);
    const errors: Record<string, string> = {};
    const { project: p, issuetype: t } = fields;
    if (!('id' in p ? p.id === PROJECT.id : p.key === PROJECT.key)) {
      errors.project = 'Specify a valid project ID or key.';
    }
    const type = ISSUE_TYPES.find((it) => ('id' in t ? it.id === t.id : it.name === t.name));
    if (!type) errors.issuetype = 'Specify a valid issue type.';
    if (!type || Object.keys(errors).length > 0) throw unprocessable(errors);
    const issue = await c.get('deps').store.createIssue({
      projectKey: PROJECT.key,
      issueTypeId: type.id,
      summary: fields.summary,
      description: fields.description ?? null,
      reporterKey: user.key,
      reporterUsername: user.username,
      createdAt: c.get('deps').now().toISOString(),
    });
    const body: CreatedIssue = { id: issue.id, key: issue.key, self: `${restRoot(c)}/issue/${issue.id}` };
    return c.json(body, 201);
  })
  .get('/issue/:idOrKey', async (c) => {
    tokenCaller(c);
    const issue = await c.get('deps').store.findIssue(c.req.param('idOrKey'));
    if (!issue) throw notFound('Issue Does Not Exist');
    return c.json(await issueBody(c, issue));
  });
