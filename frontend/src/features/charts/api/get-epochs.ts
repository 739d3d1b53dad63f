import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import { LIVE_REFRESH_MS } from '@/lib/query-client';
import type { EpochSummaryList } from '@/types/api';

export const getEpochs = (slug: string, runId: string, key?: string, signal?: AbortSignal) =>
  api.get<EpochSummaryList>(`/projects/${seg(slug)}/runs/${seg(runId)}/epochs`, { key }, signal);

export const getEpochsQueryOptions = (slug: string, runId: string, live: boolean) =>
  queryOptions({
    queryKey: ['projects', slug, 'runs', 'epochs', runId],
    queryFn: ({ signal }) => getEpochs(slug, runId, undefined, signal),
    refetchInterval: live ? LIVE_REFRESH_MS : false,
  });

export const useEpochs = (slug: string, runId: string, live: boolean) =>
  useQuery(getEpochsQueryOptions(slug, runId, live));
