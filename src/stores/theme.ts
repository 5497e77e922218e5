import { create } from 'zustand';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/**
 * Where the choice is remembered (a preference, not a secret: localStorage is fine). public/theme.js
 * reads the same key before the first paint, so that a page never flashes the other theme.
 */
export const THEME_STORAGE_KEY = 'api-token-console.theme';

function storedTheme(): Theme {
  try {
    const value = localStorage.getItem(THEME_STORAGE_KEY);
    return THEMES.find((theme) => theme === value) ?? 'system';
  } catch {
    return 'system'; // storage blocked: the system's theme
  }
}

/** The chosen theme on the page: `data-theme` on <html> (none: the system's, by CSS media query). */
function applyTheme(theme: Theme) {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}

interface ThemeState {
  theme: Theme;
  setTheme: (theme: Theme) => void;
}

export const useThemeStore = create<ThemeState>()((set) => ({
  theme: storedTheme(),
  setTheme: (theme) => {
    try {
      localStorage.setItem(THEME_STORAGE_KEY, theme);
    } catch {
      // Not remembered, but still applied.
    }
    applyTheme(theme);
    set({ theme });
  },
}));

export const selectTheme = (s: ThemeState) => s.theme;
