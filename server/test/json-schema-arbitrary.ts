import fc from 'fast-check';

/** A JSON Schema (2020-12) as the OpenAPI document has them. */
export type Schema = Record<string, unknown>;

/**
 * fast-check arbitraries of the values a JSON Schema allows, for the schemas z.toJSONSchema writes
 * (types, enums, consts, anyOf, string lengths, patterns and date-times, number bounds, arrays, objects
 * with required and optional properties, $refs into the document's components).
 */
export function valueOf(schema: Schema, resolve: (ref: string) => Schema): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === 'string') return valueOf(resolve(schema.$ref), resolve);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const anyOf = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (anyOf) return fc.oneof(...anyOf.map((s) => valueOf(s, resolve)));
  if (Array.isArray(schema.type)) {
    return fc.oneof(...(schema.type as string[]).map((type) => valueOf({ ...schema, type }, resolve)));
  }
  switch (schema.type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: bound(schema.minimum, -1e6), max: bound(schema.maximum, 1e6) });
    case 'number':
      return fc.double({ min: bound(schema.minimum, -1e6), max: bound(schema.maximum, 1e6), noNaN: true });
    case 'string':
      return stringOf(schema);
    case 'array': {
      const items = schema.items ? valueOf(schema.items as Schema, resolve) : fc.jsonValue();
      const minLength = Number(schema.minItems ?? 0);
      return fc.array(items, {
        minLength,
        maxLength: Math.max(minLength, Math.min(Number(schema.maxItems ?? 4), 4)),
      });
    }
    case 'object':
      return objectOf(schema, resolve);
    default:
      return fc.jsonValue();
  }
}

const bound = (value: unknown, fallback: number) =>
  typeof value === 'number' ? Math.max(Math.min(value, 1e9), -1e9) : fallback;

function stringOf(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') {
    return fc
      .date({
        min: new Date('1970-01-01T00:00:00Z'),
        max: new Date('2100-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString());
  }
  const minLength = Number(schema.minLength ?? 0);
  const maxLength = Math.min(Number(schema.maxLength ?? 40), 300);
  if (typeof schema.pattern === 'string') {
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter((s) => s.length >= minLength && s.length <= maxLength);
  }
  return fc.string({ minLength, maxLength: Math.max(minLength, maxLength), unit: 'grapheme' });
}

function objectOf(schema: Schema, resolve: (ref: string) => Schema): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const model = Object.fromEntries(
    Object.entries(properties).map(([name, s]) => [name, valueOf(s, resolve)]),
  );
  if (Object.keys(model).length === 0) {
    return schema.additionalProperties && schema.additionalProperties !== false
      ? fc.dictionary(fc.string({ maxLength: 10 }), valueOf(schema.additionalProperties as Schema, resolve), {
          maxKeys: 3,
        })
      : fc.constant({});
  }
  return fc.record(model, { requiredKeys: [...required].filter((name) => name in model) });
}

/**
 * A value that is not what the schema allows, in one of the ways clients get it wrong: another type,
 * a property missing or of the wrong type, an unknown property, text where a number belongs.
 */
export function wrongValueOf(schema: Schema, resolve: (ref: string) => Schema): fc.Arbitrary<unknown> {
  const target = typeof schema.$ref === 'string' ? resolve(schema.$ref) : schema;
  const wrongType = fc.oneof(
    fc.constant(null),
    fc.integer(),
    fc.string({ maxLength: 20 }),
    fc.boolean(),
    fc.array(fc.integer(), { maxLength: 2 }),
    fc.constant({ unexpected: true }),
  );
  if (target.type !== 'object' || !target.properties) return wrongType;
  const properties = target.properties as Record<string, Schema>;
  const names = Object.keys(properties);
  return fc.oneof(
    wrongType,
    // A valid object with one property dropped, or replaced by a wrong value.
    fc
      .tuple(valueOf(target, resolve), fc.constantFrom(...names), wrongType, fc.boolean())
      .map(([value, name, wrong, drop]) => {
        const copy = { ...(value as Record<string, unknown>) };
        if (drop) delete copy[name];
        else copy[name] = wrong;
        return copy;
      }),
    // An unknown property beside valid ones.
    valueOf(target, resolve).map((value) => ({ ...(value as object), 'not-a-field': 'x' })),
  );
}
