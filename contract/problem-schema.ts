import { z } from 'zod';
import type { Problem } from './problem';

export const ProblemSchema = z.object({
  type: z.string().default('about:blank'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.record(z.string(), z.string()).optional(),
  errorMessages: z.array(z.string()).optional(),
}) satisfies z.ZodType<Problem, unknown>;

/** A problem as this backend sends it: Jira's `errorMessages` always there (what the OpenAPI document says). */
export const SentProblemSchema = ProblemSchema.required({ errorMessages: true });
