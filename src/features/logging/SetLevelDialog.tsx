import { useState } from 'react';
import { LOG_LEVELS, REVERT_AFTER_LABELS, type LogLevel, type RevertAfter } from '@contract/logging';
import { Button } from '@/components/ui/Button';
import { Dialog } from '@/components/ui/Dialog';
import { INPUT_CLASS } from '@/components/ui/Field';
import { Notice } from '@/components/ui/Notice';
import { showToast } from '@/stores/toasts';
import { useSetLevel } from './api';

/** Sets a logger's level on every node, optionally reverted by the backend after a while. */
export function SetLevelDialog({
  name,
  current,
  onClose,
}: {
  name: string | null;
  current: LogLevel | null;
  onClose: () => void;
}) {
  const setLevel = useSetLevel();
  const [level, setLevelChoice] = useState<LogLevel>(current ?? 'INFO');
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
            { name, level, ...(revertAfter && { revertAfter }) },
            {
              onSuccess: () => {
                showToast({
                  tone: 'success',
                  title: `${name} set to ${level}`,
                  description: revertAfter
                    ? `Reverts after ${REVERT_AFTER_LABELS[revertAfter]}.`
                    : 'On every node, until restart.',
                });
                onClose();
              },
            },
          );
        }}
      >
        <div>
          <label htmlFor="set-level" className="block text-sm font-medium">
            Level
          </label>
          <select
            id="set-level"
            className={`mt-1 ${INPUT_CLASS}`}
            value={level}
            onChange={(e) => setLevelChoice(e.target.value as LogLevel)}
          >
            {LOG_LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="revert-after" className="block text-sm font-medium">
            Revert after
          </label>
          <select
            id="revert-after"
            className={`mt-1 ${INPUT_CLASS}`}
            value={revertAfter}
            onChange={(e) => setRevertAfter(e.target.value as RevertAfter | '')}
          >
            <option value="">Do not revert (until restart)</option>
            {(Object.keys(REVERT_AFTER_LABELS) as RevertAfter[]).map((r) => (
              <option key={r} value={r}>
                {REVERT_AFTER_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          The level applies to every node of the cluster.
        </p>
        {setLevel.isError && (
          <Notice tone="danger" title="The level was not changed" alert>
            {setLevel.error.message}
          </Notice>
        )}
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={setLevel.isPending}>
            {setLevel.isPending ? 'Saving…' : 'Set level'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
