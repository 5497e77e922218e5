import { create } from 'zustand';

interface SessionState {
  /** A request was answered 401: the session ended while the console was open. */
  expired: boolean;
  markExpired: () => void;
  clearExpired: () => void;
}

export const useSessionStore = create<SessionState>()((set) => ({
  expired: false,
  markExpired: () => set({ expired: true }),
  clearExpired: () => set({ expired: false }),
}));

export const selectSessionExpired = (s: SessionState) => s.expired;
