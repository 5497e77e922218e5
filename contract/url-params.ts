import { z } from 'zod';

/**
 * One way to carry a query in URL parameters, driven by its zod object schema: the console's address
 * bar, the console's requests and the backend's reading of them. An array repeats its key, a number or
 * a boolean is written as text and read back as what its schema holds; defaults and empty values are
 * left out, so that equal queries make equal links.
 */
type Shape = Record<string, z.ZodType>;
type Kind = { type: 'array'; element: z.ZodType } | { type: 'number' | 'boolean' | 'string' };

/** A choice of numbers, such as `z.union([z.literal(1), z.literal(2)])`: read as a number. */
function isNumberChoice(field: z.ZodType): boolean {
  if (field instanceof z.ZodLiteral) return [...field.values].every((value) => typeof value === 'number');
  if (field instanceof z.ZodUnion)
    return field.options.every((option) => isNumberChoice(option as z.ZodType));
  return false;
}

/** What a field holds under its optional and default wrappers: how its parameter reads. */
function kindOf(field: z.ZodType): Kind {
  let inner: z.ZodType = field;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault || inner instanceof z.ZodNullable) {
    inner = inner.unwrap() as z.ZodType;
  }
  if (inner instanceof z.ZodArray) return { type: 'array', element: inner.element as z.ZodType };
  if (inner instanceof z.ZodNumber || isNumberChoice(inner)) return { type: 'number' };
  if (inner instanceof z.ZodBoolean) return { type: 'boolean' };
  return { type: 'string' };
}

/** The parameters of `schema`'s fields as raw values, not yet validated; other parameters are ignored. */
function rawValues(schema: z.ZodObject, params: URLSearchParams): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const shape: Shape = schema.shape;
  for (const [key, field] of Object.entries(shape)) {
    if (!params.has(key)) continue;
    const kind = kindOf(field);
    const value = params.get(key)!;
    if (kind.type === 'array') raw[key] = params.getAll(key);
    else if (kind.type === 'number') raw[key] = value === '' ? undefined : Number(value);
    else if (kind.type === 'boolean') raw[key] = value === 'true';
    else raw[key] = value === '' ? undefined : value;
  }
  return raw;
}

/** Strict, for the backend: a parameter that is not valid is an error with its field's message. */
export function parseUrlParams<S extends z.ZodObject>(schema: S, params: URLSearchParams) {
  return schema.safeParse(rawValues(schema, params));
}

/**
 * Lenient, for the address bar: a parameter that is not valid (an old or edited link) falls back to its
 * default, an array keeps its valid items; never a crash.
 */
export function readUrlParams<S extends z.ZodObject>(schema: S, params: URLSearchParams): z.infer<S> {
  const shape: Shape = schema.shape;
  const valid: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rawValues(schema, params))) {
    const field = shape[key]!;
    const kind = kindOf(field);
    const candidate =
      kind.type === 'array' && Array.isArray(value)
        ? value.filter((item) => kind.element.safeParse(item).success)
        : value;
    if (candidate !== undefined && field.safeParse(candidate).success) valid[key] = candidate;
  }
  return schema.parse(valid);
}

/** A value as parameter text: every field holds text, a number, a boolean or an array of them. */
const paramText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

const defaultsOf = new WeakMap<z.ZodObject, Record<string, unknown>>();

/** A query as URL parameters, in its schema's order, defaults and empty values left out. */
export function urlParams<S extends z.ZodObject>(schema: S, query: Partial<z.output<S>>): URLSearchParams {
  let defaults = defaultsOf.get(schema);
  if (!defaults) {
    const parsed = schema.safeParse({});
    defaults = parsed.success ? parsed.data : {};
    defaultsOf.set(schema, defaults);
  }
  const params = new URLSearchParams();
  const values = query as Record<string, unknown>;
  for (const key of Object.keys(schema.shape)) {
    const value = values[key];
    if (value === undefined || value === null || value === '') continue;
    if (JSON.stringify(value) === JSON.stringify(defaults[key])) continue;
    if (Array.isArray(value)) for (const item of value as unknown[]) params.append(key, paramText(item));
    else params.set(key, paramText(value));
  }
  return params;
}
