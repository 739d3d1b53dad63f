import { queryOptions, useQuery, useQueries } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import { LIVE_REFRESH_MS, toQueryStates } from '@/lib/query-client';
import type { Run } from '@/types/api';

export const getRun = (slug: string, runId: string, signal?: AbortSignal) =>
  api.get<Run>(`/projects/${seg(slug)}/runs/${seg(runId)}`, undefined, signal);

export const getRunQueryOptions = (slug: string, runId: string) =>
  queryOptions({
    queryKey: ['projects', slug, 'runs', 'detail', runId],
    queryFn: ({ signal }) => getRun(slug, runId, signal),
    refetchInterval: (q) => (q.state.data?.status === 'RUNNING' ? LIVE_REFRESH_MS : false),
  });

export const useRun = (slug: string, runId: string) => useQuery(getRunQueryOptions(slug, runId));

/** Several runs at once (compare page), fetched in parallel. */
export const useRunsById = (slug: string, runIds: string[]) =>
  useQueries({ queries: runIds.map((id) => getRunQueryOptions(slug, id)), combine: toQueryStates });
