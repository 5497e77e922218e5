import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_SETTINGS, SettingsInputSchema, type SettingsInput } from './settings';
import { SETTINGS_FIELDS, settingsChanges } from './settings-fields';

/** Every value of the settings schema that is not an object of named settings, by its path. */
function schemaLeaves(schema: z.ZodType, path: string[] = []): string[][] {
  return schema instanceof z.ZodObject
    ? Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([key, child]) =>
        schemaLeaves(child, [...path, key]),
      )
    : [path];
}

const startsWith = (path: readonly string[], prefix: readonly string[]) =>
  prefix.every((key, index) => path[index] === key);

/** Settings in which every value differs from DEFAULT_SETTINGS. */
const OTHER: SettingsInput = {
  authentication: {
    disableBasicAuthWithPasswords: true,
    disableBearerWithOtherAuthenticators: true,
    ipRestrictions: ['10.0.0.0/8'],
    rateLimit: { enabled: true, requestsPerMinute: 60, burst: 5 },
    tokenPolicy: {
      maxValidity: { unit: 'days', value: 30 },
      forceReadOnlyForRegularUsers: true,
      expiryWarningDays: 7,
    },
  },
  permissions: {
    useTokens: { everyone: false, groups: ['developers'] },
    createTokens: { everyone: false, groups: ['developers'] },
    manageOthersTokens: { groups: ['token-admins'] },
  },
  auditLogging: {
    successfulAuthentication: true,
    failedBasicAttempts: true,
    failedBearerAttempts: true,
    failedVerification: true,
    permissionDenied: true,
    retentionDays: 30,
  },
};

function valueAt(tree: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], tree);
}

describe('SETTINGS_FIELDS', () => {
  it('covers every value of the settings schema exactly once (a new setting cannot be forgotten)', () => {
    for (const leaf of schemaLeaves(SettingsInputSchema)) {
      const owners = SETTINGS_FIELDS.filter((field) => startsWith(leaf, field.path));
      expect(
        owners.map((field) => field.label),
        leaf.join('.'),
      ).toHaveLength(1);
    }
  });

  it.each(SETTINGS_FIELDS.map((field) => [field.label, field] as const))(
    '%s: its path is what it reads, and a change there is listed as a change of it alone',
    (_label, field) => {
      const changed = structuredClone(DEFAULT_SETTINGS);
      const parent = valueAt(changed, field.path.slice(0, -1)) as Record<string, unknown>;
      parent[field.path.at(-1)!] = structuredClone(valueAt(OTHER, field.path));
      expect(settingsChanges(DEFAULT_SETTINGS, changed).map((change) => change.field)).toEqual([field.label]);
    },
  );
});
