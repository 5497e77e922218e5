import { ipKeyRange } from '../../contract/ip';
import type { SqlDialect } from './sql-dialect';

/**
 * The SQLite side of the shared query builders. `js_lower` is a function the store registers on its
 * connection (SQLite's lower() folds ASCII only); `search_text` is the text rows.ts makes.
 */
export const SQLITE_DIALECT: SqlDialect = {
  oneOf(column, values, params, name) {
    values.forEach((value, i) => (params[`${name}${i}`] = value));
    return `${column} IN (${values.map((_, i) => `@${name}${i}`).join(', ')})`;
  },
  descriptionContains(q, params) {
    params.q = q;
    return 'instr(js_lower(description), @q) > 0';
  },
  // The affected objects' ids and names have a table of their own (audit_objects, indexed by value).
  auditObjectIs(object, params) {
    params.object = object;
    return 'EXISTS (SELECT 1 FROM audit_objects WHERE value = @object AND record_id = a.id)';
  },
  // Addresses are stored as 16-byte sortable keys (contract/ip.ts): an address or range is a key range.
  // An entry that is no address matches nothing: an empty key is in no range of 16-byte keys.
  auditIpIn(ip, params) {
    const [first, last] = ipKeyRange(ip)?.map((key) => Buffer.from(key)) ?? [
      Buffer.alloc(0),
      Buffer.alloc(0),
    ];
    params.ipFirst = first;
    params.ipLast = last;
    return '(client_ip_key BETWEEN @ipFirst AND @ipLast OR proxy_ip_key BETWEEN @ipFirst AND @ipLast)';
  },
  // The texts are stored lower-cased, one per line: a query without a line break matches the column
  // exactly when it matches one of the texts.
  auditTextContains(q, params) {
    params.q = q;
    return 'instr(search_text, @q) > 0';
  },
};
