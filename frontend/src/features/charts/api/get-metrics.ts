import { queryOptions, useQueries, useQuery } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import { LIVE_REFRESH_MS, toQueryStates } from '@/lib/query-client';
import type { MetricKeyList } from '@/types/api';

export const getMetrics = (slug: string, runId: string, signal?: AbortSignal) =>
  api.get<MetricKeyList>(`/projects/${seg(slug)}/runs/${seg(runId)}/metrics`, undefined, signal);

export const getMetricsQueryOptions = (slug: string, runId: string, live = false) =>
  queryOptions({
    queryKey: ['projects', slug, 'runs', 'metrics', runId],
    queryFn: ({ signal }) => getMetrics(slug, runId, signal),
    refetchInterval: live ? LIVE_REFRESH_MS : false,
  });

export const useMetrics = (slug: string, runId: string, live: boolean) =>
  useQuery(getMetricsQueryOptions(slug, runId, live));

export const useMetricsOfRuns = (slug: string, runIds: string[]) =>
  useQueries({ queries: runIds.map((id) => getMetricsQueryOptions(slug, id)), combine: toQueryStates });
