import { lazy } from 'react';
import { selectToasts, useToastStore } from '@/stores/toasts';
import { LazyBoundary } from '../LazyBoundary';

// The toast UI loads with the first toast, not with the first screen.
const ToastList = lazy(() => import('./ToastList'));

export function Toaster() {
  const hasToasts = useToastStore((s) => selectToasts(s).length > 0);
  if (!hasToasts) return null;
  return (
    <LazyBoundary errorClassName="fixed top-24 right-4 z-50 w-[min(24rem,calc(100vw-2rem))]">
      <ToastList />
    </LazyBoundary>
  );
}
