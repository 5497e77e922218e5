/**
 * `npm run lint:openapi`: writes the OpenAPI document, as the backend generates it from the contract,
 * to a temporary file and lints it with Redocly CLI (its recommended rules, see redocly.yaml).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApiDocument } from '../contract/openapi';

const dir = mkdtempSync(join(tmpdir(), 'atc-openapi-'));
const file = join(dir, 'openapi.json');
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
rmSync(dir, { recursive: true, force: true });
process.exit(result.status ?? 1);
