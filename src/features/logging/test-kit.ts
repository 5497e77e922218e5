/**
 * What the tests of the Logging page's tabs (LoggingPage.*.test.tsx) share.
 */
import { APP_LOGGERS } from '@contract/logging';
import type { renderApp } from '@/test/render';

export type View = ReturnType<typeof renderApp>;

export const APP = APP_LOGGERS.app;
export const SERVICE = APP_LOGGERS.authService;

export const search = (view: View) => new URLSearchParams(view.router.state.location.search);
