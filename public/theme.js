// The theme chosen in the account menu, applied before the first paint (src/stores/theme.ts keeps it
// under the same key); without a choice, the system's theme applies by CSS media query.
try {
  const theme = localStorage.getItem('api-token-console.theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
  // Storage blocked: the system's theme.
}
