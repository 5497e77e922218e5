import { Toast } from 'radix-ui';
import { selectToasts, useToastStore } from '@/stores/toasts';

const TONES = {
  success:
    'border-green-300 bg-green-50 text-green-950 dark:border-green-800 dark:bg-green-950 dark:text-green-50',
  error: 'border-red-300 bg-red-50 text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-50',
  info: 'border-slate-300 bg-white text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-50',
};

/** The toasts (Radix Toast: announced to screen readers, dismissable, swipeable). */
export default function ToastList() {
  const toasts = useToastStore(selectToasts);
  const dismiss = useToastStore((s) => s.dismiss);
  return (
    <Toast.Provider swipeDirection="right" duration={6000}>
      {toasts.map((toast) => (
        <Toast.Root
          key={toast.id}
          type={toast.tone === 'error' ? 'foreground' : 'background'}
          onOpenChange={(open) => !open && dismiss(toast.id)}
          className={`rounded-md border p-3 text-sm shadow-lg ${TONES[toast.tone]}`}
        >
          <Toast.Title className="font-semibold">{toast.title}</Toast.Title>
          {toast.description && <Toast.Description className="mt-1">{toast.description}</Toast.Description>}
          <Toast.Close className="mt-2 text-xs underline" aria-label="Dismiss notification">
            Dismiss
          </Toast.Close>
        </Toast.Root>
      ))}
      {/* Top right, under the header: never over a page's Save bar or its last rows at the bottom. */}
      <Toast.Viewport className="fixed top-20 right-0 z-50 m-4 flex w-[min(24rem,calc(100vw-2rem))] flex-col gap-2 outline-none" />
    </Toast.Provider>
  );
}
