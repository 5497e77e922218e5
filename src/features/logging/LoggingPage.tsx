import { NotBuiltYet } from '@/components/ui/NotBuiltYet';
import { PageHeader } from '@/components/ui/PageHeader';

export function LoggingPage() {
  return (
    <>
      <PageHeader
        title="Logging"
        description="Runtime log levels of the authentication loggers, and the log entries they write."
      />
      <NotBuiltYet />
    </>
  );
}
