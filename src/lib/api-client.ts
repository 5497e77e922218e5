import type { z } from 'zod';
import { API_URL } from './config';
import { ApiError, errorFromResponse, networkError, timeoutError } from './api-error';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Milliseconds before the request is given up as a timeout. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Sends one request to the backend; throws an ApiError on any failure. */
export async function apiRequest(path: string, options: RequestOptions = {}): Promise<Response> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  // The real server's cookie session: changes echo its CSRF cookie in a header (no other site can).
  const csrf = csrfCookie();
  if (csrf && options.method && options.method !== 'GET') headers['x-csrf-token'] = csrf;

  let response: Response;
  try {
    response = await fetch(new URL(`${API_URL}${path}`, window.location.href), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (timeout.aborted) throw timeoutError();
    if (options.signal?.aborted) throw error; // cancelled by the caller (e.g. TanStack Query): not a failure
    throw networkError();
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

/** A request whose JSON answer is parsed with its contract schema. */
export async function apiJson<S extends z.ZodType>(
  path: string,
  schema: S,
  options?: RequestOptions,
): Promise<z.infer<S>> {
  const response = await apiRequest(path, options);
  return parseResponse(schema, await response.json(), response.status);
}

/** An answer checked against its contract schema; anything else is an ApiError, never bad data on screen. */
export function parseResponse<S extends z.ZodType>(schema: S, body: unknown, status: number): z.infer<S> {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new ApiError({
      type: 'about:blank',
      title: 'Unexpected response',
      status,
      detail: 'The server answered with data the console does not understand.',
    });
  }
  return result.data;
}

function csrfCookie(): string | undefined {
  return document.cookie
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith('atc_csrf='))
    ?.slice('atc_csrf='.length);
}
