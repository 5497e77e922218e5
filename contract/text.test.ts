import { describe, expect, it } from 'vitest';
import { PermissionSettingsSchema } from './settings';
import { DescriptionSchema } from './tokens';

const groupError = (group: string) =>
  PermissionSettingsSchema.safeParse({
    useTokens: { everyone: false, groups: [group] },
    createTokens: { everyone: true, groups: [] },
    manageOthersTokens: { groups: ['jira-administrators'] },
  }).error?.issues[0]?.message;
const descriptionError = (description: string) =>
  DescriptionSchema.safeParse(description).error?.issues[0]?.message;

describe('one rule for the names people type: token descriptions and group names', () => {
  it.each([
    { what: 'CR/LF', value: 'ops\r\nadmins', error: 'Remove line breaks and control characters.' },
    { what: 'NUL', value: 'ops\u0000', error: 'Remove line breaks and control characters.' },
    {
      what: 'a line separator',
      value: 'ops\u2028admins',
      error: 'Remove line breaks and control characters.',
    },
    {
      what: 'a right-to-left override',
      value: 'ops\u202Esnimda',
      error: 'Remove text-direction overrides and broken characters.',
    },
    {
      what: 'a lone surrogate',
      value: 'ops\uD800',
      error: 'Remove text-direction overrides and broken characters.',
    },
  ])('both refuse $what with "$error"', ({ value, error }) => {
    expect(descriptionError(value)).toBe(error);
    expect(groupError(value)).toBe(error);
  });

  it.each(['jira-software-users', 'Équipe – Überwachung 🚀', 'group with spaces'])(
    'both accept %s',
    (value) => {
      expect(descriptionError(value)).toBeUndefined();
      expect(groupError(value)).toBeUndefined();
    },
  );
});
