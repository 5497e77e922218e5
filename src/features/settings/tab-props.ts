import type { SettingsInput } from '@contract/settings';

export interface SettingsTabProps {
  draft: SettingsInput;
  /** The saved settings the draft started from. */
  saved: SettingsInput;
  update: (change: (draft: SettingsInput) => void) => void;
  readOnly: boolean;
  /** Field path → message (the draft's validation, or the backend's 422). */
  errors: Record<string, string>;
  /** What is typed in an address field but not added (Save refuses while there is any). */
  onPendingIp: (text: string) => void;
}
