import { optionsTurnedOffBySave, type AuditOptionKey } from '@contract/audit-options';
import { fieldErrorsOf } from '@contract/problem';
import { SettingsInputSchema, type Settings, type SettingsInput } from '@contract/settings';
import { SETTINGS_FIELDS } from '@contract/settings-fields';

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
 * unless the user changed the same setting. A setting changes as a whole (a list, or a choice with its
 * parts), so the two halves of one choice are never mixed.
 */
export function rebaseDraft(base: SettingsInput, draft: SettingsInput, latest: SettingsInput): SettingsInput {
  const result = structuredClone(latest) as unknown as Tree;
  for (const { path } of SETTINGS_FIELDS) {
    const mine = get(draft, path);
    if (JSON.stringify(mine) !== JSON.stringify(get(base, path))) set(result, path, mine);
  }
  return result as unknown as SettingsInput;
}

/** What a save takes away that the user confirms first. */
export interface SaveConsequences {
  /** Audit options on now that the save turns off (their gate is reopened). */
  turnedOff: AuditOptionKey[];
  /**
   * The save takes the signed-in administrator out of every group that may manage other users'
   * tokens: they lose the Token Manager, and nobody may be left to manage tokens.
   */
  losesTokenManagement: boolean;
}

export function saveConsequences(
  saved: SettingsInput,
  draft: SettingsInput,
  myGroups: readonly string[],
): SaveConsequences {
  const manages = (s: SettingsInput) =>
    s.permissions.manageOthersTokens.groups.some((group) => myGroups.includes(group));
  return {
    turnedOff: optionsTurnedOffBySave(saved, draft),
    losesTokenManagement: manages(saved) && !manages(draft),
  };
}

export const asksFirst = (c: SaveConsequences) => c.turnedOff.length > 0 || c.losesTokenManagement;
