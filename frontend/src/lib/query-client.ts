import { QueryClient, type UseQueryResult } from '@tanstack/react-query';
import { ApiError } from '@/lib/api-client';

/** How often pages showing a RUNNING run refetch. */
export const LIVE_REFRESH_MS = 5000;

const isClientError = (error: unknown) =>
  error instanceof ApiError &&
  error.status >= 400 &&
  error.status < 500 &&
  error.status !== 408 &&
  error.status !== 429;

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        // Retrying a 4xx (404, 403, 400) cannot succeed; retry network trouble and 5xx twice.
        retry: (failureCount, error) => !isClientError(error) && failureCount < 2,
      },
      mutations: { retry: false },
    },
  });
}

/** What the pages read of each query in a `useQueries` list. */
export type QueryState<T> = Pick<UseQueryResult<T>, 'data' | 'error' | 'isPending' | 'isError'>;

/**
 * `combine` for `useQueries`: keeps data and status only. TanStack Query shares the combined value
 * structurally, so the returned array stays the same object until some query's data or status
 * changes (a background refetch that returns the same data does not change it), and memos that
 * depend on it are not recomputed.
 */
export const toQueryStates = <T>(results: UseQueryResult<T>[]): QueryState<T>[] =>
  results.map(({ data, error, isPending, isError }) => ({ data, error, isPending, isError }));
