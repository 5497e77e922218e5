import { Navigate, useParams } from 'react-router';
import { Notice } from '@/components/ui/Notice';
import { PageHeader } from '@/components/ui/PageHeader';
import { RouteTabs } from '@/components/ui/RouteTabs';
import { useAuthorization } from '@/lib/auth';
import { SendDemoTrafficButton } from '@/components/SendDemoTrafficButton';
import { LogEntriesTab } from './LogEntriesTab';
import { LogLevelsTab } from './LogLevelsTab';

const TABS = [
  { id: 'levels', label: 'Log levels' },
  { id: 'entries', label: 'Log entries' },
] as const;

export function LoggingPage() {
  const tab = useParams()['*'];
  const canChange = useAuthorization().can('logging:write');
  if (!TABS.some((t) => t.id === tab)) return <Navigate to="/logging/levels" replace />;

  return (
    <>
      <PageHeader
        title="Logging"
        description="Runtime log levels of the authentication loggers, and the log entries they write."
        actions={canChange ? <SendDemoTrafficButton /> : undefined}
      />
      {!canChange && (
        <div className="mb-4">
          <Notice title="Read only">You can view the loggers and their entries but not change levels.</Notice>
        </div>
      )}
      <RouteTabs label="Logging" basePath="/logging" tabs={TABS} value={tab as (typeof TABS)[number]['id']}>
        {tab === 'levels' ? <LogLevelsTab canChange={canChange} /> : <LogEntriesTab />}
      </RouteTabs>
    </>
  );
}
