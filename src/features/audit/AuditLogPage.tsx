import { NotBuiltYet } from '@/components/ui/NotBuiltYet';
import { PageHeader } from '@/components/ui/PageHeader';

export function AuditLogPage() {
  return (
    <>
      <PageHeader
        title="Audit Log"
        description="Browse, filter and export the audit records of API-token authentication."
      />
      <NotBuiltYet />
    </>
  );
}
