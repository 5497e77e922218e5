import { z } from 'zod';

// Zod compiles object parsers with `new Function` unless told not to, and probes for it the first time a
// schema is built: under the console's Content-Security-Policy (no 'unsafe-eval') that probe is reported
// as a violation on every page load. This module is imported first, before any schema exists.
z.config({ jitless: true });
