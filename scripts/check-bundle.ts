/**
 * The bundle budget, part of `npm test` (after `npm run build`). Reads the production build's manifest
 * and fails with a clear message when:
 * - the initial JavaScript (the entry chunk and everything it statically imports) exceeds 120 kB gzipped,
 *   or its CSS 15 kB gzipped;
 * - a page is not a lazy chunk of its own;
 * - MSW or the demo backend reached the production build.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = 'dist';
const JS_BUDGET = 120 * 1024;
const CSS_BUDGET = 15 * 1024;
const PAGES = [
  'src/features/overview/OverviewPage.tsx',
  'src/features/settings/SettingsPage.tsx',
  'src/features/tokens/TokensPage.tsx',
  'src/features/audit/AuditLogPage.tsx',
  'src/features/logging/LoggingPage.tsx',
  'src/features/account/SignInPage.tsx',
];

interface Chunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

const manifest = JSON.parse(readFileSync(join(DIST, '.vite', 'manifest.json'), 'utf8')) as Record<
  string,
  Chunk
>;
const gz = (file: string) => gzipSync(readFileSync(join(DIST, file))).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
const problems: string[] = [];

const entryKey = Object.keys(manifest).find((key) => manifest[key]!.isEntry);
if (!entryKey) throw new Error('No entry chunk in the manifest: run `npm run build` first.');

// The entry and everything it imports statically, transitively: what the first screen downloads.
const initial = new Set<string>();
const visit = (key: string) => {
  if (initial.has(key)) return;
  initial.add(key);
  for (const imported of manifest[key]?.imports ?? []) visit(imported);
};
visit(entryKey);
const initialJs = [...initial].map((key) => manifest[key]!.file);
const initialCss = [...new Set([...initial].flatMap((key) => manifest[key]!.css ?? []))];
const jsBytes = initialJs.reduce((sum, file) => sum + gz(file), 0);
const cssBytes = initialCss.reduce((sum, file) => sum + gz(file), 0);

console.log('Initial JavaScript (gzipped):');
for (const file of initialJs) console.log(`  ${kb(gz(file)).padStart(9)}  ${file}`);
console.log(`  ${kb(jsBytes).padStart(9)}  total (budget ${kb(JS_BUDGET)})`);
console.log(`Initial CSS (gzipped): ${kb(cssBytes)} (budget ${kb(CSS_BUDGET)})`);
if (jsBytes > JS_BUDGET)
  problems.push(`Initial JavaScript is ${kb(jsBytes)} gzipped: over the ${kb(JS_BUDGET)} budget.`);
if (cssBytes > CSS_BUDGET)
  problems.push(`Initial CSS is ${kb(cssBytes)} gzipped: over the ${kb(CSS_BUDGET)} budget.`);

// Every page is its own lazy chunk, outside the initial set.
for (const page of PAGES) {
  const chunk = manifest[page];
  if (!chunk) problems.push(`${page} is not a chunk of its own (it should be loaded lazily by its route).`);
  else if (initial.has(page)) problems.push(`${page} is in the initial JavaScript: load it lazily.`);
  else console.log(`Lazy page: ${page} → ${chunk.file} (${kb(gz(chunk.file))})`);
}

// No demo code in production.
const forbidden = [/mockServiceWorker/, /setupWorker/, /createDemoHost/, /api-token-console\.demo\./];
for (const file of readdirSync(join(DIST, 'assets')).filter((f) => f.endsWith('.js'))) {
  const text = readFileSync(join(DIST, 'assets', file), 'utf8');
  for (const pattern of forbidden) {
    if (pattern.test(text))
      problems.push(
        `dist/assets/${file} contains ${pattern}: MSW or the demo backend reached the production build.`,
      );
  }
}

if (problems.length > 0) {
  console.error(`\nBundle budget broken:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('\nBundle budget: OK');
