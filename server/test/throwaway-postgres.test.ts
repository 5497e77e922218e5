import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

it('a process that uses a throwaway PostgreSQL keeps the exit code it set (a failed test run fails)', () => {
  const child = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      "await import('./server/test/throwaway-postgres.ts'); process.exitCode = 3;",
    ],
    { encoding: 'utf8' },
  );
  expect(child.stderr).toBe('');
  expect(child.status).toBe(3);
});
