import { create } from 'zustand';

export interface Toast {
  id: number;
  tone: 'success' | 'error' | 'info';
  title: string;
  description?: string;
}

interface ToastState {
  toasts: Toast[];
  show: (toast: Omit<Toast, 'id'>) => void;
  dismiss: (id: number) => void;
}

let nextId = 1;

/** Toasts span routes, so they live in a store; components read them through the selectors below. */
export const useToastStore = create<ToastState>()((set) => ({
  toasts: [],
  show: (toast) => set((s) => ({ toasts: [...s.toasts.slice(-4), { ...toast, id: nextId++ }] })),
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

export const selectToasts = (s: ToastState) => s.toasts;
export const showToast = (toast: Omit<Toast, 'id'>) => useToastStore.getState().show(toast);
