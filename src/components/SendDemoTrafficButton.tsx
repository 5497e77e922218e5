import { useMutation, useQueryClient } from '@tanstack/react-query';
import { DemoTrafficSummarySchema } from '@contract/demo-schemas';
import { Button } from '@/components/ui/Button';
import { apiJson } from '@/lib/api-client';
import { IS_DEMO } from '@/lib/config';
import { QUERY_ROOTS } from '@/lib/query-keys';
import { showToast } from '@/stores/toasts';

/** Demo only: pushes a seeded burst of REST requests through the authentication engine. */
export function SendDemoTrafficButton() {
  const queryClient = useQueryClient();
  const send = useMutation({
    mutationFn: () => apiJson('/demo/traffic', DemoTrafficSummarySchema, { method: 'POST' }),
    onSuccess: (summary) => {
      const statuses = Object.entries(summary.byStatus)
        .map(([status, count]) => `${count} × ${status}`)
        .join(', ');
      showToast({
        tone: 'success',
        title: `Sent ${summary.requests} demo requests`,
        description: `${statuses}. ${summary.auditRecords} audit records and ${summary.logEntries} log lines written.`,
      });
      for (const queryKey of [QUERY_ROOTS.audit, QUERY_ROOTS.logging, QUERY_ROOTS.tokens]) {
        void queryClient.invalidateQueries({ queryKey });
      }
    },
  });
  if (!IS_DEMO) return null;
  return (
    <Button onClick={() => send.mutate()} disabled={send.isPending}>
      {send.isPending ? 'Sending…' : 'Send demo traffic'}
    </Button>
  );
}
