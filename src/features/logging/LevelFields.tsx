import {
  LOG_LEVELS,
  REVERT_AFTER_LABELS,
  type ClusterNode,
  type LogLevel,
  type RevertAfter,
} from '@contract/logging';
import { INPUT_CLASS } from '@/components/ui/Field';
import { nodeLabel } from './nodes';

/** Which nodes a level is for: '' for every node, else a node's id. */
export interface NodeChoice {
  nodes: readonly ClusterNode[];
  thisNode: string;
  node: string;
  onNode: (node: string) => void;
}

/**
 * The level to set, the nodes it is for, and when the backend puts the previous one back: one set of
 * fields for every form.
 */
export function LevelFields({
  idPrefix,
  level,
  onLevel,
  nodeChoice,
  revertAfter,
  onRevertAfter,
}: {
  idPrefix: string;
  level: LogLevel;
  onLevel: (level: LogLevel) => void;
  nodeChoice: NodeChoice;
  revertAfter: RevertAfter | '';
  onRevertAfter: (revertAfter: RevertAfter | '') => void;
}) {
  return (
    <>
      <div>
        <label htmlFor={`${idPrefix}-level`} className="block text-sm font-medium">
          Level
        </label>
        <select
          id={`${idPrefix}-level`}
          className={`mt-1 ${INPUT_CLASS}`}
          value={level}
          onChange={(e) => onLevel(e.target.value as LogLevel)}
        >
          {LOG_LEVELS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${idPrefix}-node`} className="block text-sm font-medium">
          Nodes
        </label>
        <select
          id={`${idPrefix}-node`}
          className={`mt-1 ${INPUT_CLASS}`}
          value={nodeChoice.node}
          onChange={(e) => nodeChoice.onNode(e.target.value)}
        >
          <option value="">Every node</option>
          {nodeChoice.nodes.map((n) => (
            <option key={n.id} value={n.id}>
              {nodeLabel(n, nodeChoice.thisNode)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${idPrefix}-revert`} className="block text-sm font-medium">
          Revert after
        </label>
        <select
          id={`${idPrefix}-revert`}
          className={`mt-1 ${INPUT_CLASS}`}
          value={revertAfter}
          onChange={(e) => onRevertAfter(e.target.value as RevertAfter | '')}
        >
          <option value="">Do not revert (until restart)</option>
          {(Object.keys(REVERT_AFTER_LABELS) as RevertAfter[]).map((r) => (
            <option key={r} value={r}>
              {REVERT_AFTER_LABELS[r]}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}
