import type { QueryClient } from '@tanstack/react-query';
import type { LoaderFunctionArgs } from 'react-router';
import { getMeQueryOptions } from '@/features/auth/api/get-me';
import { prefetchRunCharts } from '@/features/charts/utils/series-query';
import { getProjectQueryOptions } from '@/features/projects/api/get-project';
import { getArtifactsQueryOptions } from '@/features/runs/api/get-artifacts';
import { getRunQueryOptions } from '@/features/runs/api/get-run';

// Loaders only start fetches (never awaited), so navigation is instant and the requests of a
// page go out in parallel instead of one component level after another.

export const appLoader = (queryClient: QueryClient) => () => {
  void queryClient.prefetchQuery(getMeQueryOptions());
  return null;
};

export const projectLoader =
  (queryClient: QueryClient) =>
  ({ params }: LoaderFunctionArgs) => {
    if (params.slug) void queryClient.prefetchQuery(getProjectQueryOptions(params.slug));
    return null;
  };

export const runLoader =
  (queryClient: QueryClient) =>
  ({ params }: LoaderFunctionArgs) => {
    const { slug, runId } = params;
    if (slug && runId) {
      void queryClient.prefetchQuery(getRunQueryOptions(slug, runId));
      void queryClient.prefetchQuery(getArtifactsQueryOptions(slug, runId, false));
      prefetchRunCharts(queryClient, slug, runId);
    }
    return null;
  };
