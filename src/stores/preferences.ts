import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

interface PreferencesState {
  /** The Audit Log's timeline is folded away. */
  timelineHidden: boolean;
  setTimelineHidden: (hidden: boolean) => void;
}

/**
 * How the user left the console's views, remembered in this browser (localStorage): only layout
 * choices, never data or secrets.
 */
export const usePreferences = create<PreferencesState>()(
  persist(
    (set) => ({
      // Until the user chooses: folded on a phone, where the records should come first.
      timelineHidden:
        typeof window.matchMedia === 'function' && window.matchMedia('(max-width: 639px)').matches,
      setTimelineHidden: (timelineHidden) => set({ timelineHidden }),
    }),
    {
      name: 'api-token-console.preferences',
      storage: createJSONStorage(() => localStorage),
      partialize: ({ timelineHidden }) => ({ timelineHidden }),
    },
  ),
);

export const selectTimelineHidden = (s: PreferencesState) => s.timelineHidden;
