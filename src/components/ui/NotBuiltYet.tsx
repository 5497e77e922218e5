import { Notice } from './Notice';

/** Stands in for a feature that a later release builds; never shows made-up data. */
export function NotBuiltYet() {
  return (
    <Notice title="Not built yet">
      <p>This page is not built yet: it arrives in a later release of the console.</p>
    </Notice>
  );
}
