import { describe, expect, it } from 'vitest';
import { hashSecret } from '../auth/secrets';
import { MemoryStore, type MemoryChanges } from '../store/memory';
import { createTestBackend } from '../test/harness';
import { SECRETS, dataSet, createOk } from './tokens-test-kit';

describe('the demo reload', () => {
  it('keeps created, renamed and revoked tokens in the exported changes', async () => {
    const data = dataSet();
    const backend = createTestBackend({ as: 'jdoe', data });
    const { token, secret } = await createOk(backend);
    const doomed = await createOk(backend);
    await backend.json('PATCH', '/tokens/tok_report', { description: 'Reports' });
    await backend.call('/tokens/tok_ci', { method: 'DELETE' });
    await backend.call(`/tokens/${doomed.token.id}`, { method: 'DELETE' });

    const changes = backend.store.exportChanges();
    // A seeded token needs a tombstone; a token created and revoked since leaves nothing behind.
    expect(changes.tokens).toEqual({
      [token.id]: expect.objectContaining({ id: token.id }),
      tok_report: expect.objectContaining({ description: 'Reports' }),
      tok_ci: null,
    });

    const reloaded = new MemoryStore(data, JSON.parse(JSON.stringify(changes)) as MemoryChanges);
    expect((await reloaded.findTokenByHash(hashSecret(secret)))?.id).toBe(token.id);
    expect(await reloaded.findTokenByHash(hashSecret(SECRETS.ci))).toBeUndefined();
    expect(await reloaded.getToken('tok_ci')).toBeUndefined();
    expect(await reloaded.getToken(doomed.token.id)).toBeUndefined();
    expect((await reloaded.getToken('tok_report'))?.description).toBe('Reports');
  });
});
