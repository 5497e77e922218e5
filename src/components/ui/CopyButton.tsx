import { useState } from 'react';
import { Button } from './Button';

/**
 * Copies `text` to the clipboard. The button says what happened ("Copied") without moving anything
 * around it (its width is fixed), and a screen reader hears it.
 */
export function CopyButton({
  text,
  label,
  variant = 'secondary',
  onCopied,
}: {
  text: string;
  /** The button's accessible name, e.g. "Copy the token". */
  label: string;
  variant?: 'primary' | 'secondary';
  onCopied?: () => void;
}) {
  const [state, setState] = useState<'copied' | 'failed' | null>(null);
  return (
    <>
      <Button
        variant={variant}
        aria-label={label}
        className="min-w-28 shrink-0"
        onClick={() =>
          void navigator.clipboard.writeText(text).then(
            () => {
              setState('copied');
              onCopied?.();
            },
            () => setState('failed'),
          )
        }
      >
        {state === 'copied' ? 'Copied ✓' : state === 'failed' ? 'Copy failed' : 'Copy'}
      </Button>
      <span role="status" className="sr-only">
        {state === 'copied' && 'Copied to the clipboard.'}
        {state === 'failed' && 'Could not copy: select the text and copy it yourself.'}
      </span>
    </>
  );
}
