/**
 * RFC 9457 problem details, the only error body the backend sends.
 * `errors` maps a request field (dotted path) to a message shown next to that field.
 * `errorMessages` is Jira's member (the detail, as a list) that Jira clients print: the backend adds it
 * to every problem it sends (see problemResponse).
 * (No zod here: errors are handled on the console's first screen. The schema is in problem-schema.ts.)
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: Record<string, string>;
  errorMessages?: string[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Field errors of failed schema checks, keyed by the dotted path of the field (the first message wins). */
export function fieldErrorsOf(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) errors[issue.path.map(String).join('.') || '_'] ??= issue.message;
  return errors;
}
