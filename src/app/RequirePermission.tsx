import type { ReactNode } from 'react';
import type { Permission } from '@contract/users';
import { FORBIDDEN_MESSAGE } from '@/components/ui/ErrorState';
import { Notice } from '@/components/ui/Notice';
import { PageHeader } from '@/components/ui/PageHeader';
import { TextLink } from '@/components/ui/TextLink';
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
    // A page of its own, as the 404 page is: a heading and a way on.
    return (
      <>
        <PageHeader title="Permission denied" />
        <Notice tone="danger" alert>
          {FORBIDDEN_MESSAGE}
        </Notice>
        <TextLink to="/" className="mt-4 inline-block">
          Go to the start page
        </TextLink>
      </>
    );
  }
  return <>{children}</>;
}
