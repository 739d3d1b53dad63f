import { queryOptions, useQueries } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import type { Run, RunSummary } from '@/types/api';

export const getRunSummary = (slug: string, runId: string, signal?: AbortSignal) =>
  api.get<RunSummary>(`/projects/${seg(slug)}/runs/${seg(runId)}/summary`, undefined, signal);

export const getRunSummaryQueryOptions = (slug: string, runId: string, live: boolean) =>
  queryOptions({
    queryKey: ['projects', slug, 'runs', 'summary', runId],
    queryFn: ({ signal }) => getRunSummary(slug, runId, signal),
    staleTime: live ? 4000 : 60_000,
  });

/**
 * Summary stats for table rows whose list item carries no `summary` (a service without the
 * `summaryKey` list extension); only fetched when the table shows summary columns. Returns a map
 * run id → summary.
 */
export const useRunSummaries = (slug: string, runs: Run[], enabled: boolean): Record<string, RunSummary> => {
  const missing = enabled ? runs.filter((r) => !r.summary) : [];
  const results = useQueries({
    queries: missing.map((r) => getRunSummaryQueryOptions(slug, r.id, r.status === 'RUNNING')),
  });
  const map: Record<string, RunSummary> = {};
  missing.forEach((r, i) => {
    const data = results[i]?.data;
    if (data) map[r.id] = data;
  });
  return map;
};
