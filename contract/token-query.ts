import type { z } from 'zod';
import { TokenListQuerySchema, type TokenListQuery } from './tokens';

const ARRAY_KEYS = ['owner', 'status'] as const;
const BOOLEAN_KEYS = ['all', 'neverUsed'] as const;
const NUMBER_KEYS = ['page', 'pageSize'] as const;

/**
 * The token list query as URL parameters, defaults left out. One format for the console's address bar
 * and the backend's `GET /tokens`, so a shared link and the request say the same thing.
 */
export function tokenQueryToParams(query: Partial<TokenListQuery>): URLSearchParams {
  const defaults = TokenListQuerySchema.parse({});
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (
      value === undefined ||
      value === '' ||
      JSON.stringify(value) === JSON.stringify(defaults[key as keyof TokenListQuery])
    ) {
      continue;
    }
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.set(key, String(value));
  }
  return params;
}

/** Parses URL parameters into raw query fields (before validation). */
function rawQuery(params: URLSearchParams): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    if ((ARRAY_KEYS as readonly string[]).includes(key)) raw[key] = params.getAll(key);
    else if ((BOOLEAN_KEYS as readonly string[]).includes(key)) raw[key] = params.get(key) === 'true';
    else if ((NUMBER_KEYS as readonly string[]).includes(key)) raw[key] = Number(params.get(key));
    else raw[key] = params.get(key);
  }
  return raw;
}

/** Strict parse, for the backend: invalid parameters are an error with field messages. */
export function parseTokenQuery(params: URLSearchParams): ReturnType<typeof TokenListQuerySchema.safeParse> {
  return TokenListQuerySchema.safeParse(rawQuery(params));
}

/** Lenient parse, for the address bar: an invalid parameter falls back to its default, never a crash. */
export function tokenQueryFromUrl(params: URLSearchParams): TokenListQuery {
  const raw = rawQuery(params);
  const result: Record<string, unknown> = {};
  const shape = TokenListQuerySchema.shape as Record<string, z.ZodType>;
  for (const [key, value] of Object.entries(raw)) {
    const field = shape[key];
    if (field?.safeParse(value).success) result[key] = value;
  }
  return TokenListQuerySchema.parse(result);
}
