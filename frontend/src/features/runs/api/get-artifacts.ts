import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import { LIVE_REFRESH_MS } from '@/lib/query-client';
import type { ArtifactList } from '@/types/api';

export const getArtifacts = (slug: string, runId: string, signal?: AbortSignal) =>
  api.get<ArtifactList>(`/projects/${seg(slug)}/runs/${seg(runId)}/artifacts`, undefined, signal);

export const getArtifactsQueryOptions = (slug: string, runId: string, live: boolean) =>
  queryOptions({
    queryKey: ['projects', slug, 'runs', 'artifacts', runId],
    queryFn: ({ signal }) => getArtifacts(slug, runId, signal),
    refetchInterval: live ? LIVE_REFRESH_MS : false,
  });

export const useArtifacts = (slug: string, runId: string, live: boolean) =>
  useQuery(getArtifactsQueryOptions(slug, runId, live));
