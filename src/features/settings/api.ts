import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { SettingsSchema, settingsEtag, type Settings, type SettingsInput } from '@contract/settings';
import { apiJson } from '@/lib/api-client';
import { QUERY_ROOTS } from '@/lib/query-keys';

export const settingsKeys = { settings: QUERY_ROOTS.settings, groups: QUERY_ROOTS.groups };

export const settingsQueryOptions = queryOptions({
  queryKey: settingsKeys.settings,
  queryFn: ({ signal }) => apiJson('/settings', SettingsSchema, { signal }),
});

export const groupsQueryOptions = queryOptions({
  queryKey: settingsKeys.groups,
  queryFn: ({ signal }) => apiJson('/groups', z.array(z.string()), { signal }),
  staleTime: 5 * 60_000,
});

/** Saves the whole settings document, on top of the version it was edited from (If-Match). */
export function useSaveSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ input, baseVersion }: { input: SettingsInput; baseVersion: number }) =>
      apiJson('/settings', SettingsSchema, {
        method: 'PUT',
        body: input,
        headers: { 'if-match': settingsEtag(baseVersion) },
      }),
    onSuccess: (saved: Settings) => {
      queryClient.setQueryData(settingsQueryOptions.queryKey, saved);
      // A settings change writes an audit record.
      void queryClient.invalidateQueries({ queryKey: QUERY_ROOTS.audit });
    },
    // The page shows 412 conflicts and 422 field errors itself.
    meta: { handlesErrors: true },
  });
}
