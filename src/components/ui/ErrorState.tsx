import { ApiError } from '@/lib/api-error';
import { Button } from './Button';
import { Notice } from './Notice';

export const FORBIDDEN_MESSAGE = "You don't have permission to view this page.";

/** What went wrong, said plainly, with a retry where one can help. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { title, detail, canRetry } = describe(error);
  return (
    <Notice tone="danger" title={title} alert>
      <p>{detail}</p>
      {canRetry && onRetry && (
        <Button className="mt-3" onClick={onRetry}>
          Try again
        </Button>
      )}
    </Notice>
  );
}

function describe(error: unknown): { title: string; detail: string; canRetry: boolean } {
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
