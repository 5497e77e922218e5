import { existsSync } from 'node:fs';

/**
 * The Chromium every browser run uses (e2e, screenshots, benchmarks, Lighthouse). Browsers cannot be
 * downloaded on our machines: the system Chromium (Debian's package), or the path in CHROMIUM_PATH;
 * undefined on a laptop without either, where Playwright (or chrome-launcher) finds its own.
 */
export const CHROMIUM_PATH: string | undefined =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/** The flags our closed-network, sandbox-less machines need. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
