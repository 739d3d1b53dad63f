import { queryOptions, useQueries, useQuery } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import { LIVE_REFRESH_MS, toQueryStates } from '@/lib/query-client';
import type { Series, SeriesQuery } from '@/types/api';

export const DEFAULT_MAX_POINTS = 1000;

export const getSeries = (slug: string, runId: string, query: SeriesQuery, signal?: AbortSignal) =>
  api.get<Series>(
    `/projects/${seg(slug)}/runs/${seg(runId)}/series`,
    {
      key: query.key,
      x: query.x,
      maxPoints: query.maxPoints ?? DEFAULT_MAX_POINTS,
      from: query.from,
      to: query.to,
    },
    signal,
  );

export const getSeriesQueryOptions = (slug: string, runId: string, query: SeriesQuery, live = false) =>
  queryOptions({
    queryKey: ['projects', slug, 'runs', 'series', runId, query],
    queryFn: ({ signal }) => getSeries(slug, runId, query, signal),
    // While a zoomed range loads keep showing the previous view of the same key and x axis;
    // never show step data on a time axis after switching.
    placeholderData: (previous) =>
      previous && previous.key === query.key && previous.x === query.x ? previous : undefined,
    staleTime: live ? 0 : 60_000,
    refetchInterval: live ? LIVE_REFRESH_MS : false,
  });

export const useSeries = (slug: string, runId: string, query: SeriesQuery, live: boolean) =>
  useQuery(getSeriesQueryOptions(slug, runId, query, live));

/** The same metric of several runs (compare page), fetched in parallel. */
export const useSeriesOfRuns = (slug: string, runIds: string[], query: SeriesQuery) =>
  useQueries({ queries: runIds.map((id) => getSeriesQueryOptions(slug, id, query)), combine: toQueryStates });
