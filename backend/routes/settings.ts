import { Hono } from 'hono';
import { resolveAuditOptions } from '../../contract/audit-options';
import { SettingsInputSchema, settingsEtag, type Settings } from '../../contract/settings';
import { settingsChanges } from '../../contract/settings-fields';
import { requirePermission, type AppContext, type AppEnv } from '../http/context';
import { HttpProblem, parseJsonBody } from '../http/problem';
import { appendAuditRecords, auditRecord, authorOf } from '../services/audit';

function settingsResponse(c: AppContext, settings: Settings, status: 200 = 200) {
  c.header('etag', settingsEtag(settings.version));
  return c.json(settings, status);
}

/** The version an If-Match header names (null: any); 428 without one, 412 when it names no version. */
function expectedVersion(ifMatch: string | undefined): number | null {
  if (!ifMatch) {
    throw new HttpProblem(
      428,
      'Precondition Required',
      'Send If-Match with the ETag of the settings you edited.',
    );
  }
  if (ifMatch.trim() === '*') return null; // RFC 9110: "*" matches whatever version exists
  // If-Match compares strongly (RFC 9110): a weak validator never matches.
  const match = /^"settings-v(\d+)"$/.exec(ifMatch.trim());
  if (!match) throw stale();
  return Number(match[1]);
}

const stale = () =>
  new HttpProblem(
    412,
    'Precondition Failed',
    'The settings were changed by someone else since you loaded them. Reload them, or apply your changes again on top.',
  );

export const settingsRoutes = new Hono<AppEnv>()
  .get('/settings', async (c) => {
    await requirePermission(c, 'settings:read');
    return settingsResponse(c, await c.get('deps').store.getSettings());
  })
  .put('/settings', async (c) => {
    const user = await requirePermission(c, 'settings:write');
    const { store, now } = c.get('deps');
    const expected = expectedVersion(c.req.header('if-match'));
    const input = await parseJsonBody(c.req.raw, SettingsInputSchema);

    const previous = await store.getSettings();
    const version = expected ?? previous.version;
    if (previous.version !== version) throw stale();
    const resolved = resolveAuditOptions(previous, input);
    const optionErrors = Object.entries(resolved.errors).map(([key, message]): [string, string] => [
      `auditLogging.${key}`,
      message,
    ]);
    if (optionErrors.length > 0) {
      throw new HttpProblem(
        422,
        'Unprocessable Content',
        'An audit option is not available.',
        Object.fromEntries(optionErrors),
      );
    }
    const next = { ...input, auditLogging: resolved.auditLogging };
    const at = now();
    const saved = await store.saveSettings(next, version, user.username, at);
    if (!saved) throw stale();

    const changes = settingsChanges(previous, saved);
    if (changes.length > 0) {
      await appendAuditRecords(store, [
        auditRecord({
          summary: 'Settings changed',
          at,
          author: authorOf(user),
          client: c.get('client'),
          method: 'PUT',
          affectedObjects: [
            { type: 'settings', id: 'api-token-authentication', name: 'API Token Authentication settings' },
          ],
          changedValues: changes.map(({ field, from, to }) => ({ field, from, to })),
          details: { endpoint: c.req.path },
        }),
      ]);
    }
    return settingsResponse(c, saved);
  });
