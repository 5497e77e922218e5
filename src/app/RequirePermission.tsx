import type { ReactNode } from 'react';
import type { Permission } from '@contract/users';
import { FORBIDDEN_MESSAGE } from '@/components/ui/ErrorState';
import { Notice } from '@/components/ui/Notice';
import { useAuthorization } from '@/lib/auth';

/** Renders the page only for users with one of `anyOf`; the backend enforces the same rule. */
export function RequirePermission({
  anyOf,
  children,
}: {
  anyOf: readonly Permission[];
  children: ReactNode;
}) {
  const { myself, can } = useAuthorization();
  if (!myself) return null;
  if (!can(anyOf)) {
    return (
      <Notice tone="danger" title="Permission denied" alert>
        {FORBIDDEN_MESSAGE}
      </Notice>
    );
  }
  return <>{children}</>;
}
