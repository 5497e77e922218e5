import { z } from 'zod';
import { BASE_PATH } from './api';
import { AuditRecordSchema } from './audit';
import { IssueTypeSchema, JiraUserSchema, ProjectSchema } from './jira';
import { SentProblemSchema } from './problem-schema';
import { OPERATIONS, TAGS, type Operation } from './rest-api';
import { SettingsInputSchema, SettingsSchema } from './settings';
import { TokenPageSchema, TokenSchema } from './tokens';
import { PROBLEM_CONTENT_TYPE } from './problem';

/** Where both hosts serve the document. */
export const OPENAPI_PATH = `${BASE_PATH}/openapi.json`;

type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = Record<string, unknown> & {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema> } & Record<string, unknown>;
};
export interface OpenApiOperation {
  operationId: string;
  parameters?: { name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
}

/** The schemas that several operations share, by the names the document gives them. */
const NAMED_SCHEMAS: readonly [z.ZodType, string][] = [
  [SentProblemSchema, 'Problem'],
  [TokenSchema, 'Token'],
  [TokenPageSchema, 'TokenPage'],
  [AuditRecordSchema, 'AuditRecord'],
  [SettingsSchema, 'Settings'],
  [SettingsInputSchema, 'SettingsInput'],
  [JiraUserSchema, 'JiraUser'],
  [IssueTypeSchema, 'IssueType'],
  [ProjectSchema, 'Project'],
];

/** What each problem status means, whichever operation answers it. */
const PROBLEM_STATUSES: Record<number, string> = {
  400: 'Bad Request: a malformed body or query parameter.',
  401: 'Unauthorized: no valid credentials (a wrong, expired, revoked or IP-restricted token, a wrong password, no session).',
  403: 'Forbidden: not allowed for this caller (a permission, a Read Only token writing, a console change without its CSRF token).',
  404: 'Not Found.',
  412: 'Precondition Failed: the settings changed since they were read.',
  413: 'Content Too Large: a body over 64 KiB.',
  415: 'Unsupported Media Type: the body is not application/json.',
  422: 'Unprocessable Content: values the contract or the policy refuses, with a message per field in `errors`.',
  428: 'Precondition Required: send If-Match.',
  429: 'Too Many Requests: the token is over its rate limit, or password attempts for the name or address are locked for a while.',
  503: 'Service Unavailable: the disk is full, or too many password checks wait; try again after Retry-After.',
};

/**
 * The problems every operation may answer: credentials are checked on every path (401; 429 for a token
 * over its rate limit or locked password attempts; 403 for a Read Only token writing or a missing CSRF
 * token), and any request may find the disk full (503).
 */
function problemsOf(operation: Operation): number[] {
  const statuses = new Set([401, 403, 429, 503, ...(operation.problems ?? [])]);
  if (operation.query) statuses.add(400);
  // A path that names nothing (no such item, no such API version) is not found.
  if (operation.params) statuses.add(404);
  if (operation.body) for (const status of [400, 413, 415, 422]) statuses.add(status);
  if (operation.only) statuses.add(404);
  return [...statuses].sort((a, b) => a - b);
}

const HEADERS = {
  'X-AUSERNAME': { description: 'The authenticated user (Jira sends it too).', schema: { type: 'string' } },
  'X-RateLimit-Limit': {
    description: 'While rate limiting is on: how many requests the token may send at once.',
    schema: { type: 'integer' },
  },
  'X-RateLimit-Remaining': {
    description: 'While rate limiting is on: how many it may still send now.',
    schema: { type: 'integer' },
  },
  'X-RateLimit-FillRate': {
    description: 'While rate limiting is on: how many requests it regains per interval.',
    schema: { type: 'integer' },
  },
  'X-RateLimit-Interval-Seconds': {
    description: 'While rate limiting is on: the interval, in seconds.',
    schema: { type: 'integer' },
  },
  'Retry-After': { description: 'Seconds until it is worth trying again.', schema: { type: 'integer' } },
  'WWW-Authenticate': {
    description: "The schemes that would work: Basic and Bearer (only Bearer to a browser's script request).",
    schema: { type: 'string' },
  },
  'X-Seraph-LoginReason': {
    description: "Jira's reason for a refused login: `AUTHENTICATED_FAILED`.",
    schema: { type: 'string' },
  },
} as const;
const header = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });
const RATE_LIMIT_HEADERS = {
  'X-RateLimit-Limit': header('X-RateLimit-Limit'),
  'X-RateLimit-Remaining': header('X-RateLimit-Remaining'),
  'X-RateLimit-FillRate': header('X-RateLimit-FillRate'),
  'X-RateLimit-Interval-Seconds': header('X-RateLimit-Interval-Seconds'),
};
const PROBLEM_HEADERS: Record<number, Record<string, unknown>> = {
  401: {
    'WWW-Authenticate': header('WWW-Authenticate'),
    'X-Seraph-LoginReason': header('X-Seraph-LoginReason'),
  },
  429: { 'Retry-After': header('Retry-After'), ...RATE_LIMIT_HEADERS },
  503: { 'Retry-After': header('Retry-After') },
};

const HOSTS = { server: 'real server', demo: 'demo' } as const;

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Leaves out what says nothing to a reader: the pattern zod adds to `format: date-time` (the format
 * says it), and the safe-integer bounds of every `int()`.
 */
function concise({ jsonSchema: schema }: { jsonSchema: JsonSchema }) {
  if (schema.format === 'date-time') delete schema.pattern;
  if (schema.minimum === Number.MIN_SAFE_INTEGER) delete schema.minimum;
  if (schema.maximum === Number.MAX_SAFE_INTEGER) delete schema.maximum;
}

/** A zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), without the `$schema` of a document. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, override: concise });
  return rest;
}

/**
 * Generates the OpenAPI 3.1 document of the whole REST API from the contract: the operations of
 * rest-api.ts and the zod schemas they name. Bodies and answers are components (the shared ones under
 * their names, the others named after their operation), parameters inline.
 */
export function openApiDocument(): OpenApiDocument {
  // Requests are described as a client may send them (zod's input), answers as the backend sends
  // them (its output: defaults filled in, no other properties).
  const registries = { input: z.registry<{ id: string }>(), output: z.registry<{ id: string }>() };
  const names = new Map<z.ZodType, string>(NAMED_SCHEMAS);
  const component = (schema: z.ZodType, io: 'input' | 'output', fallbackName: string) => {
    const name = names.get(schema) ?? fallbackName;
    names.set(schema, name);
    if (!registries[io].has(schema)) registries[io].add(schema, { id: name });
    return schemaRef(name);
  };
  component(SentProblemSchema, 'output', 'Problem');

  const paths: OpenApiDocument['paths'] = {};
  for (const operation of OPERATIONS) {
    const id = capitalised(operation.operationId);
    const { success } = operation;
    const parameters = [
      ...Object.entries(operation.params ?? {}).map(([name, schema]) => ({
        name,
        in: 'path' as const,
        required: true,
        schema: jsonSchema(schema, 'input'),
      })),
      ...Object.entries(operation.query?.shape ?? {}).map(([name, schema]) => ({
        name,
        in: 'query' as const,
        required: !(schema as z.ZodType).safeParse(undefined).success,
        schema: jsonSchema(schema as z.ZodType, 'input'),
      })),
      ...Object.entries(operation.headers ?? {}).map(([name, { schema, required, description }]) => ({
        name,
        in: 'header' as const,
        required,
        description,
        schema: jsonSchema(schema, 'input'),
      })),
    ];
    const responses: Record<string, unknown> = {
      [success.status]: {
        description: success.description,
        headers: { 'X-AUSERNAME': header('X-AUSERNAME'), ...RATE_LIMIT_HEADERS },
        ...(success.schema && {
          content: Object.fromEntries(
            (success.contentTypes ?? ['application/json']).map((type) => [
              type,
              { schema: component(success.schema!, 'output', `${id}Response`) },
            ]),
          ),
        }),
      },
    };
    for (const status of problemsOf(operation)) {
      const only = status === 404 && operation.only;
      const noItem = operation.params ? ', or no such item' : '';
      responses[status] = {
        description: only
          ? `Not Found: only the ${HOSTS[only]} has this operation${noItem}.`
          : PROBLEM_STATUSES[status],
        ...(PROBLEM_HEADERS[status] && { headers: PROBLEM_HEADERS[status] }),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: schemaRef('Problem') } },
      };
    }
    (paths[operation.path] ??= {})[operation.method] = {
      operationId: operation.operationId,
      summary: operation.summary,
      tags: [operation.tag],
      ...(operation.access === 'anyone' && { security: [{}, ...SECURITY] }),
      ...(parameters.length > 0 && { parameters }),
      ...(operation.body && {
        requestBody: {
          required: true,
          content: { 'application/json': { schema: component(operation.body, 'input', `${id}Request`) } },
        },
      }),
      responses,
    } as OpenApiOperation;
  }

  const schemas: Record<string, JsonSchema> = {};
  for (const io of ['input', 'output'] as const) {
    const generated = z.toJSONSchema(registries[io], {
      io,
      override: concise,
      uri: (name) => `#/components/schemas/${name}`,
    });
    for (const [name, schema] of Object.entries(generated.schemas)) {
      const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
      schemas[name] = rest;
    }
  }

  return {
    openapi: '3.1.1',
    info: {
      title: 'API Token Console REST API',
      version: '1.0',
      description: [
        'The REST API of API Token Console, generated from its zod contract.',
        '',
        `- **${TAGS.console}** (\`${BASE_PATH}\`): what the console itself uses — settings, tokens, audit records, loggers.`,
        `- **${TAGS.jira}** (\`/rest/api/2\`, also \`/rest/api/latest\`): enough of Jira's REST API for Jira clients (python-jira, jira.js) to work with an API token and their defaults.`,
        `- **${TAGS.vendor}**: the token API of the app the seed documents, for scripts written against it.`,
        '',
        "Every error is RFC 9457 problem details (`application/problem+json`) with Jira's `errorMessages` added.",
      ].join('\n'),
    },
    servers: [{ url: '/', description: 'This server' }],
    tags: Object.values(TAGS).map((name) => ({ name, description: TAG_DESCRIPTIONS[name] })),
    security: SECURITY,
    paths,
    components: {
      schemas,
      headers: HEADERS,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token: `Authorization: Bearer TOKEN`.',
        },
        basicAuth: {
          type: 'http',
          scheme: 'basic',
          description:
            'A username and API token (or, where allowed, the regular password): `Basic USER:TOKEN`.',
        },
        consoleSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'atc_session',
          description: "The console's session (the real server); changes also need the X-CSRF-Token header.",
        },
      },
    },
  };
}

const SECURITY = [{ bearerAuth: [] }, { basicAuth: [] }, { consoleSession: [] }];

const TAG_DESCRIPTIONS: Record<string, string> = {
  [TAGS.console]: "The console's own API.",
  [TAGS.jira]: 'A small protected resource in the shapes of Jira Data Center’s REST API version 2.',
  [TAGS.vendor]:
    'The vendor’s token API, over the same token operations, permissions, policy and audit records.',
};
