import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type SettingsInput } from '@contract/settings';
import { fieldBinder } from './field-binding';

describe('fieldBinder', () => {
  it('binds a field to its value, its message and read-only mode, and changes only that value', () => {
    let draft: SettingsInput = structuredClone(DEFAULT_SETTINGS);
    const update = (change: (d: SettingsInput) => void) => {
      const next = structuredClone(draft);
      change(next);
      draft = next;
    };
    const errors = { 'authentication.rateLimit.burst': 'Burst must be at least 0.' };
    const bind = fieldBinder({ draft, update, errors, readOnly: true });

    const burst = bind('authentication.rateLimit.burst');
    expect(burst).toMatchObject({ value: 100, error: 'Burst must be at least 0.', disabled: true });
    expect(bind('auditLogging.retentionDays').error).toBeUndefined();

    burst.onValueChange(5);
    expect(draft.authentication.rateLimit.burst).toBe(5);
    expect({
      ...draft,
      authentication: { ...draft.authentication, rateLimit: DEFAULT_SETTINGS.authentication.rateLimit },
    }).toEqual(DEFAULT_SETTINGS);
  });
});
