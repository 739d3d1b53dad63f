import { ApiError } from '@/lib/api-client';

function describe(error: unknown): { title: string; detail?: string; errors?: { field: string; message: string }[] } {
  if (error instanceof ApiError) {
    const { title, detail, errors, status } = error.problem;
    return {
      title: title || `Request failed (${status})`,
      detail: detail && detail !== title ? detail : undefined,
      errors,
    };
  }
  if (error instanceof TypeError) {
    return { title: 'Cannot reach the Stepwise server', detail: 'Check your network connection and try again.' };
  }
  if (error instanceof Error) return { title: 'Something went wrong', detail: error.message };
  return { title: 'Something went wrong' };
}

type ErrorMessageProps = { error: unknown; onRetry?: () => void };

/** Shows an API problem (title, detail, field errors) or any other error as readable text. */
export function ErrorMessage({ error, onRetry }: ErrorMessageProps) {
  const { title, detail, errors } = describe(error);
  return (
    <div role="alert" className="alert alert-error" data-testid="error-message">
      <strong>{title}</strong>
      {detail && <p>{detail}</p>}
      {errors && errors.length > 0 && (
        <ul>
          {errors.map((e, i) => (
            <li key={`${e.field}-${i}`}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
