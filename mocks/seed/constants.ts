/** The sizes and time spans of the demo data set, and the time units the seed counts in. */

export const DEFAULT_AUDIT_RECORD_COUNT = 100_000;
/** Audit records span this many days before `now`. */
export const AUDIT_WINDOW_DAYS = 90;
/** Log entries span this many days before `now`. */
export const LOG_WINDOW_DAYS = 7;
export const LOG_ENTRY_COUNT = 400;
/** "Expiring soon" in the demo: expires within this many days (the default expiry warning). */
export const EXPIRING_SOON_DAYS = 14;
export const USER_COUNT = 60;
export const TOKEN_COUNT = 320;

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
