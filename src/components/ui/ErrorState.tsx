import { ApiError } from '@/lib/api-error';
import { Button } from './Button';
import { Notice } from './Notice';

export const FORBIDDEN_MESSAGE = "You don't have permission to view this page.";

/**
 * What went wrong, said plainly, with a retry where one can help. Code of the console that could not be
 * loaded offers "Reload" instead: the browser keeps a failed module import, so only a reload retries it.
 */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { title, detail, canRetry } = describe(error);
  const reload = isCodeLoadError(error);
  return (
    <Notice tone="danger" title={title} alert>
      <p>{detail}</p>
      {reload ? (
        <Button className="mt-3" onClick={() => window.location.reload()}>
          Reload
        </Button>
      ) : (
        canRetry &&
        onRetry && (
          <Button className="mt-3" onClick={onRetry}>
            Try again
          </Button>
        )
      )}
    </Notice>
  );
}

/**
 * A page's or a component's code (a lazy chunk) that could not be loaded: the server is down, or the
 * console was updated and the old chunk is gone. Each browser words it differently; Vite adds its own
 * for a stylesheet.
 */
function isCodeLoadError(error: unknown): boolean {
  return (
    error instanceof Error &&
    /dynamically imported module|Importing a module script failed|Unable to preload CSS/i.test(error.message)
  );
}

function describe(error: unknown): { title: string; detail: string; canRetry: boolean } {
  if (isCodeLoadError(error)) {
    return {
      title: "Can't reach the server",
      detail:
        'This part of the console could not be loaded. Check your connection, or whether the server is running, and reload the page.',
      canRetry: false,
    };
  }
  if (error instanceof ApiError) {
    switch (error.kind) {
      case 'forbidden':
        return { title: 'Permission denied', detail: FORBIDDEN_MESSAGE, canRetry: false };
      case 'unauthorized':
        return {
          title: 'Session expired',
          detail: 'Your session has expired. Sign in again.',
          canRetry: false,
        };
      case 'network':
        return { title: "Can't reach the server", detail: error.message, canRetry: true };
      case 'timeout':
        return { title: 'The server is not answering', detail: error.message, canRetry: true };
      default:
        return { title: error.problem.title, detail: error.message, canRetry: error.status >= 500 };
    }
  }
  return {
    title: 'Something went wrong',
    detail: 'An unexpected error occurred in the console.',
    canRetry: true,
  };
}
