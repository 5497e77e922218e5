import { BASE_PATH } from '@contract/api';

/** Where the REST backend lives: same origin by default, or VITE_API_BASE_URL (e.g. https://api.example.com). */
export const API_ORIGIN = (import.meta.env.VITE_API_BASE_URL ?? '').replace(/\/$/, '');
export const API_URL = `${API_ORIGIN}${BASE_PATH}`;

/** Demo mode: the backend runs in the browser behind Mock Service Worker. */
export const IS_DEMO = import.meta.env.VITE_DEMO === 'true';
