import { escapeLines } from './rows';
import type { SqlDialect } from './sql-dialect';

/**
 * The SQLite side of the shared query builders. `js_lower` and `audit_ip_match` are functions the store
 * registers on its connection (SQLite's lower() folds ASCII only; the address check is the filter's
 * own); `objects` and `search_text` are the texts rows.ts makes.
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
  auditObjectIs(object, params) {
    params.object = `\n${escapeLines(object)}\n`;
    return 'instr(objects, @object) > 0';
  },
  auditIpIn(ip, params) {
    params.ip = ip;
    return 'audit_ip_match(@ip, client_ip, proxy_ip)';
  },
  // The texts are stored lower-cased, one per line: a query without a line break matches the column
  // exactly when it matches one of the texts.
  auditTextContains(q, params) {
    params.q = q;
    return 'instr(search_text, @q) > 0';
  },
};
