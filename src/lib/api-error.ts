import type { Problem } from '@contract/problem';

export type ApiErrorKind = 'network' | 'timeout' | 'unauthorized' | 'forbidden' | 'http';

/**
 * The one error type of the console. Every failed request becomes an ApiError: a network failure,
 * a timeout, or an HTTP error carrying the backend's RFC 9457 problem details.
 */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem, kind?: ApiErrorKind) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.problem = problem;
    this.status = problem.status;
    this.kind = kind ?? kindOfStatus(problem.status);
  }

  /** Field → message, for showing next to form fields. */
  get fieldErrors(): Record<string, string> {
    return this.problem.errors ?? {};
  }
}

function kindOfStatus(status: number): ApiErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  return 'http';
}

export function networkError(): ApiError {
  return new ApiError(
    {
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: "Can't reach the server. Check your connection and try again.",
    },
    'network',
  );
}

export function timeoutError(): ApiError {
  return new ApiError(
    {
      type: 'about:blank',
      title: 'Timeout',
      status: 0,
      detail: 'The server took too long to answer. Try again.',
    },
    'timeout',
  );
}

/** Builds the ApiError of an HTTP error response, whatever its body. */
export async function errorFromResponse(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): fall back to the status line.
  }
  // The schema loads with the first error, not with the first screen.
  const { ProblemSchema } = await import('@contract/problem-schema');
  const parsed = ProblemSchema.safeParse(body);
  if (parsed.success) return new ApiError({ ...parsed.data, status: response.status });
  return new ApiError({
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    detail: defaultDetail(response.status),
  });
}

function defaultDetail(status: number): string {
  if (status === 401) return 'Your session has expired. Sign in again.';
  if (status === 403) return "You don't have permission to do this.";
  if (status === 404) return 'Not found.';
  if (status >= 500) return 'Something went wrong on the server. Try again.';
  return `The request failed (HTTP ${status}).`;
}

/** Turns anything thrown into an ApiError (for error boundaries that may see other errors). */
export function toApiError(error: unknown): ApiError | null {
  return error instanceof ApiError ? error : null;
}
