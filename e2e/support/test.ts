import { test as base, expect, type Page } from '@playwright/test';

/**
 * The e2e suite's `test`: every page of every test fails it on a Content-Security-Policy violation, a
 * console error or warning, or an uncaught exception. A test whose scenario makes the browser report
 * an error on purpose (a failed request it provokes) names it with `consoleProblems.expect(pattern)`.
 */
export const test = base.extend<{ consoleProblems: ConsoleProblems }>({
  consoleProblems: [
    async ({ context }, use) => {
      const problems: string[] = [];
      const expected: RegExp[] = [];
      const report = (text: string) => {
        if (!expected.some((pattern) => pattern.test(text))) problems.push(text);
      };
      // A caught `new Function` or a blocked resource is reported only as this event.
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) =>
          console.error(
            `CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}`,
          ),
        );
      });
      const watch = (page: Page) => {
        page.on('console', (message) => {
          if (message.type() === 'error' || message.type() === 'warning') {
            const { url } = message.location();
            report(`console ${message.type()}: ${message.text()}${url ? ` (${url})` : ''}`);
          }
        });
        page.on('pageerror', (error) => report(`uncaught: ${error.message}`));
      };
      context.pages().forEach(watch);
      context.on('page', watch);
      await use({ expect: (pattern) => void expected.push(pattern) });
      expect(problems, 'CSP violations, console errors and warnings, uncaught exceptions').toEqual([]);
    },
    { auto: true },
  ],
});

export interface ConsoleProblems {
  /** A console message this test provokes on purpose (a refused request, a server it stops). */
  expect(pattern: RegExp): void;
}

export { expect };
