import { LOG_LEVELS, REVERT_AFTER_LABELS, type LogLevel, type RevertAfter } from '@contract/logging';
import { INPUT_CLASS } from '@/components/ui/Field';

/** The level to set and when the backend puts the previous one back: one pair of fields for every form. */
export function LevelFields({
  idPrefix,
  level,
  onLevel,
  revertAfter,
  onRevertAfter,
}: {
  idPrefix: string;
  level: LogLevel;
  onLevel: (level: LogLevel) => void;
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
