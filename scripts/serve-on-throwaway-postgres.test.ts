import { describe, expect, it } from 'vitest';
import { serverCommand } from './serve-on-throwaway-postgres';

describe('the server on a throwaway PostgreSQL', () => {
  it('gets the database URL by environment, never on its command line', () => {
    const url = 'postgres://postgres:s3cret-pw@127.0.0.1:5999/postgres';
    const command = serverCommand(url, ['--port', '8080'], { PATH: '/usr/bin' });
    expect(command.args).toEqual(['--import', 'tsx', 'server/main.ts', '--port', '8080']);
    expect(command.args.join(' ')).not.toContain('s3cret-pw');
    expect(command.env).toEqual({ PATH: '/usr/bin', ATC_DATABASE_URL: url });
  });
});
