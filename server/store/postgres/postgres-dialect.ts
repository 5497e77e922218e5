import ipaddr from 'ipaddr.js';
import type { SqlDialect, SqlParams } from '../sql-dialect';

/**
 * The PostgreSQL side of the shared query builders (server/store/sql-dialect.ts), over the columns its
 * schema adds for them (postgres/migrations.ts): each condition can use an index.
 */
export const POSTGRES_DIALECT: SqlDialect = {
  oneOf(column, values, params, name) {
    params[name] = [...values];
    return `${column} = ANY(@${name}::text[])`;
  },
  descriptionContains(q, params) {
    params.qLike = likeContaining(q);
    return 'description_lc LIKE @qLike';
  },
  auditObjectIs(object, params) {
    params.object = object;
    return 'objects @> ARRAY[@object]::text[]';
  },
  auditIpIn(ip, params) {
    const ranges = inetRangesOf(ip);
    if (ranges.length === 0) return 'false';
    const any: string[] = [];
    ranges.forEach((range, i) => {
      params[`ip${i}`] = range;
      any.push(`client_inet <<= @ip${i}::inet`, `proxy_inet <<= @ip${i}::inet`);
    });
    return `(${any.join(' OR ')})`;
  },
  // search_text: the lower-cased texts, one per line, checked on each record (no index: the store
  // looks a free text up in the distinct texts first, and checks records so only when it is common).
  auditTextContains(q, params) {
    params.q = likeContaining(q);
    return 'search_text LIKE @q';
  },
};

/** A LIKE pattern for "contains `text`": its `%`, `_` and `\` match themselves. */
export function likeContaining(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * An address as the audit filter reads it (`ipaddr.process`: an IPv4-mapped IPv6 address is its IPv4
 * address; an IPv6 zone is not part of it), in `inet`'s text form; null when it is no address.
 */
export function inetOf(address: string | null): string | null {
  if (address === null) return null;
  try {
    const parsed = ipaddr.process(address);
    return parsed.kind() === 'ipv4' ? parsed.toString() : new ipaddr.IPv6(parsed.toByteArray()).toString();
  } catch {
    return null;
  }
}

const MAPPED_PREFIX = ipaddr.IPv6.parse('::ffff:0:0');

/**
 * The `inet` ranges an address of the filter's range lies in exactly when the filter's own check
 * (contract/ip.ts `ipMatcher`) says it matches. An IPv4 address is checked against an IPv6 range as
 * its IPv4-mapped address, so an IPv6 range that holds mapped addresses also holds an IPv4 range.
 */
export function inetRangesOf(entry: string): string[] {
  let range: ipaddr.IPv4 | ipaddr.IPv6;
  let bits: number;
  try {
    if (entry.includes('/')) [range, bits] = ipaddr.parseCIDR(entry);
    else {
      range = ipaddr.process(entry);
      bits = range.kind() === 'ipv4' ? 32 : 128;
    }
  } catch {
    return [];
  }
  if (range.kind() === 'ipv4') return [`${range.toString()}/${bits}`];
  const bytes = range.toByteArray();
  const ranges = [`${new ipaddr.IPv6(bytes).toString()}/${bits}`];
  if (MAPPED_PREFIX.match(range, Math.min(bits, 96))) {
    ranges.push(bits <= 96 ? '0.0.0.0/0' : `${bytes.slice(12).join('.')}/${bits - 96}`);
  }
  return ranges;
}

/** A query with `@name` parameters as node-postgres takes it: `$1`, `$2`, … and their values. */
export function positional(sql: string, params: SqlParams): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const numbers = new Map<string, number>();
  const text = sql.replace(/@(\w+)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`No value for @${name}`);
    let n = numbers.get(name);
    if (n === undefined) {
      values.push(params[name]);
      n = values.length;
      numbers.set(name, n);
    }
    return `$${n}`;
  });
  return { text, values };
}
