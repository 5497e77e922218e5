import { lazy, Suspense } from 'react';
import { selectToasts, useToastStore } from '@/stores/toasts';

// The toast UI loads with the first toast, not with the first screen.
const ToastList = lazy(() => import('./ToastList'));

export function Toaster() {
  const hasToasts = useToastStore((s) => selectToasts(s).length > 0);
  if (!hasToasts) return null;
  return (
    <Suspense fallback={null}>
      <ToastList />
    </Suspense>
  );
}
