import { z } from 'zod';
import { MaxValiditySchema } from './settings';

/** `GET /token-policy`: the token policy as it applies to the caller (users cannot read the settings). */
export const TokenPolicySchema = z.object({
  maxValidity: MaxValiditySchema,
  /** The policy forces Read Only scope on this caller (a regular user). */
  readOnlyForced: z.boolean(),
  expiryWarningDays: z.number().int(),
  /** The latest expiry a token created now may have; null: it may never expire. */
  latestExpiresAt: z.iso.datetime().nullable(),
});
export type TokenPolicy = z.infer<typeof TokenPolicySchema>;
