/**
 * The OpenAPI document, as the backend generates it from the contract:
 *   tsx scripts/openapi.ts lint        lints it with Redocly CLI (npm run lint:openapi, in npm test)
 *   tsx scripts/openapi.ts write DIR   writes it where the demo build serves it (npm run build:demo)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { OPENAPI_PATH, openApiDocument } from '../contract/openapi';

const [command, dir] = process.argv.slice(2);
if (command === 'write' && dir) {
  const file = join(dir, OPENAPI_PATH);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(openApiDocument()));
} else if (command === 'lint') {
  const temp = mkdtempSync(join(tmpdir(), 'atc-openapi-'));
  const file = join(temp, 'openapi.json');
  writeFileSync(file, JSON.stringify(openApiDocument(), null, 2));
  const result = spawnSync(
    join('node_modules', '.bin', 'redocly'),
    ['lint', file, '--config', 'redocly.yaml'],
    {
      stdio: 'inherit',
      // No usage reports or update checks from a test run.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  rmSync(temp, { recursive: true, force: true });
  process.exit(result.status ?? 1);
} else {
  console.error('Usage: tsx scripts/openapi.ts lint | write DIR');
  process.exit(2);
}
