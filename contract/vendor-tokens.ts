import { z } from 'zod';
import { DescriptionSchema, TokenListQuerySchema, TokenSchema, type TokenScope } from './tokens';

/**
 * The vendor's token REST API (the app the seed documents), for scripts written against it: the
 * field names it documents, over this product's token services. What it does not document (the shape
 * of a token in its answers, the names of the date-range filters, whether pages count from 0) is
 * answered in this product's own terms; the README says so.
 */
export const VENDOR_TOKEN_API_PATH = '/rest/de.resolution.apitokenauth/latest';

/** The vendor's scope numbers: 1 = Read Only, 2 = Read & Write. */
export const VENDOR_SCOPES: Record<1 | 2, TokenScope> = { 1: 'READ_ONLY', 2: 'READ_WRITE' };
const VendorScopeSchema = z.union([z.literal(1), z.literal(2)]);

const isoDate = z.iso.datetime({ error: 'Not a valid date and time (ISO 8601, UTC).' });

/** `POST …/user/token`. */
export const VendorCreateTokenRequestSchema = z
  .object({
    tokenDescription: DescriptionSchema,
    /** Valid for this many months from now. */
    tokenValidityTimeInMonths: z.number().int().min(1).max(1200).optional(),
    /** Or valid until this instant. Neither: the token never expires (where the policy allows it). */
    tokenExpirationDateTime: isoDate.optional(),
    /** Token Manager only: the key of the user the token is for. */
    tokenForUserKey: z.string().min(1).max(255).optional(),
    /** Default 1 (Read Only). */
    tokenScope: VendorScopeSchema.default(1),
  })
  .refine((r) => r.tokenValidityTimeInMonths === undefined || r.tokenExpirationDateTime === undefined, {
    message: 'Send tokenValidityTimeInMonths or tokenExpirationDateTime, not both.',
    path: ['tokenExpirationDateTime'],
  });
export type VendorCreateTokenRequest = z.infer<typeof VendorCreateTokenRequestSchema>;

/** The created token and its secret (shown once), in `plainTextToken` as the vendor names it. */
export const VendorCreatedTokenSchema = TokenSchema.extend({ plainTextToken: z.string() });
export type VendorCreatedToken = z.infer<typeof VendorCreatedTokenSchema>;

/** `PATCH …/user/token/{id}`: the description is what can change. */
export const VendorUpdateTokenRequestSchema = z.object({ tokenDescription: DescriptionSchema }).strict();

/** `GET …/tokensByFilter`: the vendor's filters; the date ranges and the page as the console API has them. */
export const VendorTokenFilterSchema = TokenListQuerySchema.pick({
  createdFrom: true,
  createdTo: true,
  lastUsedFrom: true,
  lastUsedTo: true,
  expiresFrom: true,
  expiresTo: true,
  page: true,
}).extend({
  /** A username (exactly). */
  userFilter: z.string().trim().min(1).max(255).optional(),
  /** Text in the description (any case). */
  descriptionFilter: TokenListQuerySchema.shape.q,
  tokenScope: VendorScopeSchema.optional(),
  limit: TokenListQuerySchema.shape.pageSize,
});
export type VendorTokenFilter = z.infer<typeof VendorTokenFilterSchema>;
