import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { urlParams } from '@contract/url-params';
import { TokenPolicySchema } from '@contract/token-policy';
import {
  CreatedTokenSchema,
  DeletedTokensSchema,
  DirectoryUserSchema,
  TokenListQuerySchema,
  TokenPageSchema,
  TokenSchema,
  type CreateTokenRequest,
  type TokenListQuery,
  type UpdateTokenRequest,
} from '@contract/tokens';
import { apiJson, apiRequest } from '@/lib/api-client';
import { QUERY_ROOTS } from '@/lib/query-keys';

export const tokenKeys = {
  all: QUERY_ROOTS.tokens,
  list: (query: TokenListQuery) => [...QUERY_ROOTS.tokens, 'list', query] as const,
  policy: [...QUERY_ROOTS.tokens, 'policy'] as const,
  users: (q: string) => [...QUERY_ROOTS.users, q] as const,
};

export const tokensQueryOptions = (query: TokenListQuery) =>
  queryOptions({
    queryKey: tokenKeys.list(query),
    queryFn: ({ signal }) =>
      apiJson(`/tokens?${urlParams(TokenListQuerySchema, query)}`, TokenPageSchema, { signal }),
    // Paging and filtering keep the previous rows on screen until the next ones arrive.
    placeholderData: keepPreviousData,
  });

/** How many tokens a user has (Token Manager: what "Revoke all tokens of a user" will revoke). */
export const tokenCountQueryOptions = (username: string) =>
  queryOptions({
    ...tokensQueryOptions(TokenListQuerySchema.parse({ all: true, owner: [username], pageSize: 1 })),
    select: (page) => page.total,
    placeholderData: undefined,
  });

export const tokenPolicyQueryOptions = queryOptions({
  queryKey: tokenKeys.policy,
  queryFn: ({ signal }) => apiJson('/token-policy', TokenPolicySchema, { signal }),
});

export const usersQueryOptions = (q: string) =>
  queryOptions({
    queryKey: tokenKeys.users(q),
    queryFn: ({ signal }) =>
      apiJson(`/users?q=${encodeURIComponent(q)}`, z.array(DirectoryUserSchema), { signal }),
    staleTime: 60_000,
  });

function useInvalidateTokens() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
    // Creation and deletion are always audited.
    void queryClient.invalidateQueries({ queryKey: QUERY_ROOTS.audit });
  };
}

/**
 * Creates a token. The answer holds the secret: it lives only in this mutation's state, which the
 * dialog resets when it closes, and is never cached, persisted or logged.
 */
export function useCreateToken() {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: (request: CreateTokenRequest) =>
      apiJson('/tokens', CreatedTokenSchema, { method: 'POST', body: request }),
    onSuccess: invalidate,
    // Dropped from the mutation cache as soon as the dialog lets go of it (reset on close).
    gcTime: 0,
    meta: { handlesErrors: true },
  });
}

/** Edits a token: its description, expiry or IP restrictions (only what is sent changes). */
export function useUpdateToken() {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UpdateTokenRequest }) =>
      apiJson(`/tokens/${encodeURIComponent(id)}`, TokenSchema, { method: 'PATCH', body: changes }),
    onSuccess: invalidate,
    meta: { handlesErrors: true },
  });
}

/**
 * Gives a token a new secret. Like creation, the answer holds the secret: it lives only in this
 * mutation's state, which the dialog resets when it closes.
 */
export function useRotateToken() {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: ({ id, gracePeriodMinutes }: { id: string; gracePeriodMinutes: number }) =>
      apiJson(`/tokens/${encodeURIComponent(id)}/rotate`, CreatedTokenSchema, {
        method: 'POST',
        body: { gracePeriodMinutes },
      }),
    onSuccess: invalidate,
    gcTime: 0,
    meta: { handlesErrors: true },
  });
}

/** Revokes tokens one by one; reports which ones failed, so that a retry revokes only those. */
export function useRevokeTokens() {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: async (ids: readonly string[]) => {
      const failed: string[] = [];
      for (const id of ids) {
        try {
          await apiRequest(`/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
        } catch (error) {
          if (ids.length === 1) throw error;
          failed.push(id);
        }
      }
      return { revoked: ids.length - failed.length, failed };
    },
    onSettled: invalidate,
  });
}

export function useRevokeAllTokensOfUser() {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: (userKey: string) =>
      apiJson(`/users/${encodeURIComponent(userKey)}/tokens`, DeletedTokensSchema, {
        method: 'DELETE',
      }),
    onSettled: invalidate,
  });
}
