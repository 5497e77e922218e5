import type { Outcome } from '@contract/histogram';

/** Outcome colours, 3:1 or more against both themes' backgrounds. */
export const OUTCOME_COLOURS: Record<Outcome, string> = {
  success: '#15803d',
  failed: '#dc2626',
  denied: '#d97706',
  changes: '#2563eb',
};
