import { useState } from 'react';
import { REVERT_AFTER_LABELS, type ClusterNode, type LogLevel, type RevertAfter } from '@contract/logging';
import { Dialog } from '@/components/ui/Dialog';
import { FormActions } from '@/components/ui/FormActions';
import { Notice } from '@/components/ui/Notice';
import { showToast } from '@/stores/toasts';
import { LevelFields } from './LevelFields';
import { useSetLevel } from './api';

/** Sets a logger's level on one node or every node, optionally reverted by the backend after a while. */
export function SetLevelDialog({
  name,
  current,
  nodes,
  thisNode,
  onClose,
}: {
  name: string | null;
  current: LogLevel | null;
  nodes: readonly ClusterNode[];
  thisNode: string;
  onClose: () => void;
}) {
  const setLevel = useSetLevel();
  const [level, setLevelChoice] = useState<LogLevel>(current ?? 'INFO');
  const [node, setNode] = useState('');
  const [revertAfter, setRevertAfter] = useState<RevertAfter | ''>('');
  return (
    <Dialog
      open={name !== null}
      onOpenChange={(open) => !open && onClose()}
      title={`Set the level of ${name ?? ''}`}
    >
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (!name) return;
          setLevel.mutate(
            { name, level, ...(revertAfter && { revertAfter }), ...(node && { node }) },
            {
              onSuccess: () => {
                showToast({
                  tone: 'success',
                  title: `${name} set to ${level}`,
                  description: `${node ? `On ${node}` : 'On every node'}, ${
                    revertAfter ? `for ${REVERT_AFTER_LABELS[revertAfter]}` : 'until restart'
                  }.`,
                });
                onClose();
              },
            },
          );
        }}
      >
        <LevelFields
          idPrefix="set-level"
          level={level}
          onLevel={setLevelChoice}
          nodeChoice={{ nodes, thisNode, node, onNode: setNode }}
          revertAfter={revertAfter}
          onRevertAfter={setRevertAfter}
        />
        <p className="text-sm text-slate-600 dark:text-slate-300">
          The chosen node applies the level within a second, whichever node you are connected to.
        </p>
        {setLevel.isError && (
          <Notice tone="danger" title="The level was not changed" alert>
            {setLevel.error.message}
          </Notice>
        )}
        <FormActions
          submitLabel="Set level"
          pendingLabel="Saving…"
          pending={setLevel.isPending}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
