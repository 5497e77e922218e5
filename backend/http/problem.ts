import type { z } from 'zod';
import { fieldErrorsOf, PROBLEM_CONTENT_TYPE, type Problem } from '../../contract/problem';
import { parseUrlParams } from '../../contract/url-params';

/** An error a route throws to answer with RFC 9457 problem details. */
export class HttpProblem extends Error {
  readonly problem: Problem;
  /** Extra response headers (e.g. Retry-After). */
  headers: Record<string, string> = {};
  constructor(status: number, title: string, detail?: string, errors?: Record<string, string>) {
    super(detail ?? title);
    this.problem = { type: 'about:blank', title, status, detail, errors };
  }

  withHeaders(headers: Record<string, string>): this {
    Object.assign(this.headers, headers);
    return this;
  }
}

/** Every 401 of the backend and the server is made here; errorResponse adds its headers. */
export const unauthorized = (detail = 'Your session has expired or you are not signed in.') =>
  new HttpProblem(401, 'Unauthorized', detail);

export const REALM = 'API Token Console';

/**
 * What a 401 answers in WWW-Authenticate (RFC 9110 §11.6.1: at least one challenge): API tokens as
 * Bearer, and as Basic with the username. Not Basic to a script request of a browser (Sec-Fetch-Dest:
 * empty, i.e. the console's own fetches): the browser would cover the console's sign-in form with
 * its own Basic dialog.
 */
export function challengesFor(request: Request): string {
  const bearer = `Bearer realm="${REALM}"`;
  return request.headers.get('sec-fetch-dest') === 'empty'
    ? bearer
    : `Basic realm="${REALM}", charset="UTF-8", ${bearer}`;
}
export const forbidden = (detail = "You don't have permission to do this.") =>
  new HttpProblem(403, 'Forbidden', detail);

/** A password attempt while brute-force detection locks the username or the address (429). */
export const tooManyFailedSignIns = (retryAfterSeconds: number) =>
  new HttpProblem(
    429,
    'Too Many Requests',
    `Too many failed sign-ins. Try again in ${describeWait(retryAfterSeconds)}.`,
  ).withHeaders({ 'retry-after': String(retryAfterSeconds) });

/** Too many password checks wait already (503, briefly). */
export const passwordChecksBusy = () =>
  new HttpProblem(
    503,
    'Service Unavailable',
    'The server is busy checking other passwords. Try again in a moment.',
  ).withHeaders({ 'retry-after': '1' });

/** "45 seconds", "1 minute", "3 minutes" (rounded up). */
function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** A cookie-authenticated change without the console's CSRF token (what a forged cross-site request lacks). */
export const csrfMissing = () =>
  forbidden('The request did not carry the console’s CSRF token. Reload the page and try again.');
export const notFound = (detail = 'Not found.') => new HttpProblem(404, 'Not Found', detail);

/** The response of a problem: RFC 9457's members, and Jira's `errorMessages` that Jira clients print. */

/** 422 with field errors, like `parseJsonBody` answers for values the schema refuses. */
export const unprocessable = (errors: Record<string, string>, detail = 'Some values are not valid.') =>
  new HttpProblem(422, 'Unprocessable Content', detail, errors);

export function problemResponse(problem: Problem, headers?: HeadersInit): Response {
  return new Response(JSON.stringify({ ...problem, errorMessages: [problem.detail ?? problem.title] }), {
    status: problem.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...headers },
  });
}

/** Field errors of a failed zod parse, keyed by the dotted path of the field. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  return fieldErrorsOf(error.issues);
}

/**
 * Reads a request's query parameters with a contract schema, as contract/url-params.ts reads them:
 * 400 with a message per parameter that the schema refuses (`detail` says what was wrong).
 */
export function parseQuery<S extends z.ZodObject>(
  url: string,
  schema: S,
  detail = 'Some filter values are not valid.',
): z.infer<S> {
  const parsed = parseUrlParams(schema, new URL(url).searchParams);
  if (!parsed.success) throw new HttpProblem(400, 'Bad Request', detail, fieldErrors(parsed.error));
  return parsed.data;
}

/** Parses a JSON request body with a contract schema: 415/400 for a wrong body, 422 with field errors for invalid values. */
export async function parseJsonBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  const type = request.headers.get('content-type') ?? '';
  if (type.split(';')[0]!.trim().toLowerCase() !== 'application/json') {
    throw new HttpProblem(415, 'Unsupported Media Type', 'Send the request body as application/json.');
  }
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new HttpProblem(400, 'Bad Request', 'The request body is not valid JSON.');
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new HttpProblem(
      422,
      'Unprocessable Content',
      'Some values are not valid.',
      fieldErrorsOf(result.error.issues),
    );
  }
  return result.data;
}

/**
 * The error codes of a full disk: SQLite's, PostgreSQL's (SQLSTATE 53100, disk_full), and the file
 * system's (no space, quota exceeded).
 */
const DISK_FULL = new Set(['SQLITE_FULL', '53100', 'ENOSPC', 'EDQUOT']);

/** Whether an error says that the disk is full (the request may succeed once space is freed). */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DISK_FULL.has(code);
}

/**
 * What a database that cannot be reached throws: the network's codes (refused, reset, timed out),
 * PostgreSQL's connection exceptions (SQLSTATE class 08) and shutdowns (57P01-57P03: the server stops or
 * starts), and node-postgres's own errors for a connection that ended, which carry no code.
 */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
]);
const UNREACHABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/** Whether an error says that the database cannot be reached (the request may succeed once it is back). */
export function isDatabaseUnreachable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return UNREACHABLE_CODES.has(code) || code.startsWith('08');
  return typeof message === 'string' && UNREACHABLE_MESSAGES.test(message);
}

/** A 503: the request may succeed after `retryAfterSeconds`. */
const unavailable = (detail: string, retryAfterSeconds: number) =>
  problemResponse(
    { type: 'about:blank', title: 'Service Unavailable', status: 503, detail },
    { 'retry-after': String(retryAfterSeconds) },
  );

/**
 * The answer to an error a route threw: its problem for an HttpProblem (a 401 with its challenges and
 * Jira's login reason); 503 when the disk is full (the host says why in its log and /health) or the
 * database cannot be reached (the client may try again); for anything else a plain 500 (never
 * internals: the details go to the host's console, labelled with `where`).
 */
export function errorResponse(error: unknown, where: string, request: Request): Response {
  if (error instanceof HttpProblem) {
    const { problem, headers } = error;
    if (problem.status !== 401) return problemResponse(problem, headers);
    return problemResponse(problem, {
      ...headers,
      'www-authenticate': challengesFor(request),
      // Jira's reason for a refused login, which Jira clients look for.
      'x-seraph-loginreason': 'AUTHENTICATED_FAILED',
    });
  }
  if (isDiskFull(error)) {
    return unavailable('The server cannot store anything: its disk is full. Try again later.', 30);
  }
  if (isDatabaseUnreachable(error)) {
    return unavailable('The database cannot be reached. Try again in a moment.', 5);
  }
  console.error(`Unhandled ${where} error`, error);
  return problemResponse({
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'Something went wrong on the server.',
  });
}
