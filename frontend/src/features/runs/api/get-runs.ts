import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import { LIVE_REFRESH_MS } from '@/lib/query-client';
import { buildRunListParams } from '@/features/runs/utils/run-columns';
import type { RunList, RunListQuery } from '@/types/api';

export const getRuns = (slug: string, query: RunListQuery, signal?: AbortSignal) =>
  api.get<RunList>(`/projects/${seg(slug)}/runs`, buildRunListParams(query), signal);

export const getRunsQueryOptions = (slug: string, query: RunListQuery) =>
  queryOptions({
    queryKey: ['projects', slug, 'runs', 'list', query],
    queryFn: ({ signal }) => getRuns(slug, query, signal),
    placeholderData: keepPreviousData,
    // Live table: poll while any listed run is still RUNNING, and while the list is empty so the
    // "log your first run" state turns into the table as soon as a trainer creates one.
    refetchInterval: (q) => {
      const runs = q.state.data?.runs;
      return runs && (runs.length === 0 || runs.some((r) => r.status === 'RUNNING')) ? LIVE_REFRESH_MS : false;
    },
  });

export const useRuns = (slug: string, query: RunListQuery) => useQuery(getRunsQueryOptions(slug, query));
