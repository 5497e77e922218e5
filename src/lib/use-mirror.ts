import { useState } from 'react';

/**
 * Local state that follows a value held elsewhere (the address bar) and shows a change at once:
 * a ticked box stays ticked while the navigation that records it is still on its way.
 */
export function useMirror<T>(value: T): [T, (next: T) => void] {
  const [local, setLocal] = useState(value);
  const [seen, setSeen] = useState(value);
  if (JSON.stringify(seen) !== JSON.stringify(value)) {
    setSeen(value);
    setLocal(value);
  }
  return [local, setLocal];
}
