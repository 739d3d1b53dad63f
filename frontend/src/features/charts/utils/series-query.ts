import type { QueryClient } from '@tanstack/react-query';
import { getEpochsQueryOptions } from '@/features/charts/api/get-epochs';
import { getMetricsQueryOptions } from '@/features/charts/api/get-metrics';
import { DEFAULT_MAX_POINTS, getSeriesQueryOptions } from '@/features/charts/api/get-series';
import { loadChartSettings } from '@/features/charts/hooks/use-chart-settings';
import type { SeriesQuery, SeriesX } from '@/types/api';

export type Zoom = { from: number; to: number };

/** The series request of one run chart (unzoomed, or the zoomed range). */
export function metricSeriesQuery(metricKey: string, xMode: SeriesX, zoom: Zoom | null = null): SeriesQuery {
  return zoom
    ? // Step and epoch are integers: widen the selection to whole values so no edge point is lost.
      { key: metricKey, x: xMode, maxPoints: DEFAULT_MAX_POINTS, from: Math.floor(zoom.from), to: Math.ceil(zoom.to) }
    : { key: metricKey, x: xMode, maxPoints: DEFAULT_MAX_POINTS };
}

/**
 * Starts loading a run page's chart data as soon as the route is entered: the metric list, then
 * every series in parallel, without waiting for the page's components to mount one by one.
 */
export function prefetchRunCharts(queryClient: QueryClient, slug: string, runId: string): void {
  const { xMode } = loadChartSettings();
  void queryClient.prefetchQuery(getEpochsQueryOptions(slug, runId, false));
  void queryClient
    .fetchQuery(getMetricsQueryOptions(slug, runId))
    .then((list) =>
      list.metrics.forEach(
        (m) => void queryClient.prefetchQuery(getSeriesQueryOptions(slug, runId, metricSeriesQuery(m.key, xMode))),
      ),
    )
    .catch(() => {
      // The page's own queries report the error.
    });
}
