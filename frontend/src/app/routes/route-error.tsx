import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { ErrorMessage } from '@/components/error-message';

export function RouteError() {
  const error = useRouteError();
  return (
    <div className="page">
      {isRouteErrorResponse(error) ? (
        <ErrorMessage error={new Error(`${error.status} ${error.statusText}`)} />
      ) : (
        <ErrorMessage error={error} />
      )}
      <p>
        <Link to="/">Back to projects</Link>
      </p>
    </div>
  );
}
