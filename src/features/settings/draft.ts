import { fieldErrorsOf } from '@contract/problem';
import { SettingsInputSchema, type Settings, type SettingsInput } from '@contract/settings';

/** The settings document without its version fields: what a draft edits. */
export function toInput(settings: Settings): SettingsInput {
  const { authentication, permissions, auditLogging } = settings;
  return { authentication, permissions, auditLogging };
}

export function sameSettings(a: SettingsInput, b: SettingsInput): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Field path (as the backend's 422 `errors` name it) → message, for a draft that is not valid. */
export function draftErrors(draft: SettingsInput): Record<string, string> {
  const result = SettingsInputSchema.safeParse(draft);
  return result.success ? {} : fieldErrorsOf(result.error.issues);
}

/**
 * The units a draft changes as a whole: a list or a choice with its parts is one unit, so that
 * applying a draft on top of someone else's save never mixes the two halves of one choice.
 */
const UNITS: readonly (readonly string[])[] = [
  ['authentication', 'disableBasicAuthWithPasswords'],
  ['authentication', 'disableBearerWithOtherAuthenticators'],
  ['authentication', 'ipRestrictions'],
  ['authentication', 'rateLimit', 'enabled'],
  ['authentication', 'rateLimit', 'requestsPerMinute'],
  ['authentication', 'rateLimit', 'burst'],
  ['authentication', 'tokenPolicy', 'maxValidity'],
  ['authentication', 'tokenPolicy', 'forceReadOnlyForRegularUsers'],
  ['authentication', 'tokenPolicy', 'expiryWarningDays'],
  ['permissions', 'useTokens'],
  ['permissions', 'createTokens'],
  ['permissions', 'manageOthersTokens'],
  ['auditLogging', 'successfulAuthentication'],
  ['auditLogging', 'failedBasicAttempts'],
  ['auditLogging', 'failedBearerAttempts'],
  ['auditLogging', 'failedVerification'],
  ['auditLogging', 'permissionDenied'],
  ['auditLogging', 'retentionDays'],
];

type Tree = Record<string, unknown>;

function get(tree: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Tree)[key], tree);
}

function set(tree: Tree, path: readonly string[], value: unknown) {
  const parent = path.slice(0, -1).reduce<Tree>((node, key) => node[key] as Tree, tree);
  parent[path.at(-1)!] = structuredClone(value);
}

/**
 * Re-applies what the user changed (draft against the version they started from) on top of the latest
 * saved settings: after a 412, nothing the user typed is lost and nothing the other save did is undone
 * unless the user changed the same setting.
 */
export function rebaseDraft(base: SettingsInput, draft: SettingsInput, latest: SettingsInput): SettingsInput {
  const result = structuredClone(latest) as unknown as Tree;
  for (const path of UNITS) {
    const mine = get(draft, path);
    if (JSON.stringify(mine) !== JSON.stringify(get(base, path))) set(result, path, mine);
  }
  return result as unknown as SettingsInput;
}
