import { DescriptionSchema } from '@contract/tokens';
import { expiryOf, expiryProblem, type ExpiryChoice } from './expiry';

/** The expiry part of a token form: a choice, and the day of a custom date. */
export interface ExpiryDraft {
  expiry: ExpiryChoice;
  customDay: string;
}

/**
 * The messages of a token form's shared fields, keyed by the form's paths: the description, the
 * expiry (on the choice or on the custom date), and an IP entry typed but not added (otherwise it
 * would be dropped, and the token would work from anywhere).
 */
export function tokenFormErrors(
  draft: { description: string } & Partial<ExpiryDraft>,
  latestExpiresAt: string | null,
  pendingIp: string,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const description = DescriptionSchema.safeParse(draft.description);
  if (!description.success) errors.description = description.error.issues[0]!.message;
  if (draft.expiry !== undefined) {
    const problem = expiryProblem(draft.expiry, draft.customDay ?? '', new Date(), latestExpiresAt);
    if (problem) errors[problem.field === 'day' ? 'customDay' : 'expiry'] = problem.message;
  }
  if (pendingIp) errors.ipRestrictions = `Press "Add" to add ${pendingIp}, or clear the field.`;
  return errors;
}

/** The expiry instant a valid expiry draft asks for (null: never). */
export function expiresAtOf(draft: ExpiryDraft, latestExpiresAt: string | null): string | null {
  return expiryOf(draft.expiry, draft.customDay, new Date(), latestExpiresAt) ?? null;
}

/** The server's field errors, keyed by the form's paths (its expiresAt is the form's expiry choice). */
export function formErrorsOf(
  serverErrors: Record<string, string>,
  expiry?: ExpiryChoice,
): Record<string, string> {
  const { expiresAt, ...rest } = serverErrors;
  if (expiresAt === undefined) return rest;
  return { ...rest, [expiry === 'custom' ? 'customDay' : 'expiry']: expiresAt };
}
