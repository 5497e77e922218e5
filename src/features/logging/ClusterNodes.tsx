import type { ClusterNode } from '@contract/logging';
import { Section } from '@/components/ui/Field';
import { HeaderCell, TABLE_HEAD_CLASS } from '@/components/ui/DataTable';
import { formatDateTime } from '@/lib/time';

const STATE_CLASS: Record<ClusterNode['state'], string> = {
  up: 'bg-green-100 text-green-950 dark:bg-green-950 dark:text-green-100',
  down: 'bg-red-100 text-red-950 dark:bg-red-950 dark:text-red-100',
};

const when = (iso: string | null) => (iso ? formatDateTime(iso, undefined, true) : '—');

/**
 * The nodes of the cluster as the database knows them: up while they heartbeat, down once they stop
 * or fall silent (a node that went away stays listed).
 */
export function ClusterNodes({ nodes, thisNode }: { nodes: readonly ClusterNode[]; thisNode: string }) {
  return (
    <Section
      title="Cluster nodes"
      description="Levels are set per node. A node that stops is shown as down until it starts again."
    >
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Cluster nodes</caption>
          <thead className={TABLE_HEAD_CLASS}>
            <tr>
              <HeaderCell>Node</HeaderCell>
              <HeaderCell>State</HeaderCell>
              <HeaderCell>Last seen</HeaderCell>
              <HeaderCell>Address</HeaderCell>
              <HeaderCell>Version</HeaderCell>
              <HeaderCell>Started</HeaderCell>
            </tr>
          </thead>
          <tbody>
            {nodes.map((node) => (
              <tr key={node.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                <th scope="row" className="px-3 py-2 font-medium whitespace-nowrap">
                  {node.id}
                  {node.id === thisNode && (
                    <span className="font-normal text-slate-600 dark:text-slate-400"> (this node)</span>
                  )}
                </th>
                <td className="px-3 py-2">
                  <span className={`rounded px-1.5 py-0.5 text-xs font-semibold ${STATE_CLASS[node.state]}`}>
                    {node.state === 'up' ? 'Up' : 'Down'}
                  </span>
                </td>
                <td className="px-3 py-2 whitespace-nowrap">{when(node.lastSeenAt)}</td>
                <td className="px-3 py-2 font-mono text-xs break-all">{node.address ?? '—'}</td>
                <td className="px-3 py-2">{node.version ?? '—'}</td>
                <td className="px-3 py-2 whitespace-nowrap">{when(node.startedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
