import { memo, useEffect, useMemo, useState } from 'react';
import type uPlot from 'uplot';
import { ErrorMessage } from '@/components/error-message';
import { useSeries } from '@/features/charts/api/get-series';
import { UplotChart, type ChartOptions } from '@/features/charts/components/uplot-chart';
import { withAlpha } from '@/features/charts/utils/colors';
import { toMetricChartData } from '@/features/charts/utils/series-data';
import { metricSeriesQuery, type Zoom } from '@/features/charts/utils/series-query';
import type { SeriesX } from '@/types/api';

type MetricChartProps = {
  slug: string;
  runId: string;
  metricKey: string;
  xMode: SeriesX;
  smoothing: number;
  logScale: boolean;
  live: boolean;
  color: string;
};

export function metricChartOptions(metricKey: string, xMode: SeriesX, logScale: boolean, color: string): ChartOptions {
  return {
    ms: 1,
    scales: {
      x: { time: xMode === 'time' },
      y: logScale ? { distr: 3 } : {},
    },
    axes: [{}, { size: 56 }],
    legend: { show: true, live: true },
    series: [
      { label: xMode },
      { label: 'min', stroke: 'transparent', points: { show: false } },
      { label: 'max', stroke: 'transparent', points: { show: false } },
      { label: 'raw', stroke: withAlpha(color, 0.35), width: 1, points: { show: false }, spanGaps: false },
      { label: metricKey, stroke: color, width: 1.75, points: { show: false }, spanGaps: false },
    ],
    // The server's per-bucket [yMin, yMax] envelope, filled between series 2 (max) and 1 (min).
    bands: [{ series: [2, 1], fill: withAlpha(color, 0.22) }],
  };
}

/** One chart per metric key: line (EMA-smoothed), faded raw line, min/max envelope band, drag to zoom. */
export const MetricChart = memo(function MetricChart(props: MetricChartProps) {
  const { slug, runId, metricKey, xMode, smoothing, logScale, live, color } = props;
  const [zoom, setZoom] = useState<Zoom | null>(null);
  useEffect(() => setZoom(null), [xMode]);

  const query = useMemo(() => metricSeriesQuery(metricKey, xMode, zoom), [metricKey, xMode, zoom]);
  // A zoomed view is a fixed range; only the full view follows a live run.
  const series = useSeries(slug, runId, query, live && !zoom);

  const options = useMemo(
    () => metricChartOptions(metricKey, xMode, logScale, color),
    [metricKey, xMode, logScale, color],
  );
  const data = useMemo(() => {
    if (!series.data) return null;
    const d = toMetricChartData(series.data, smoothing, logScale);
    return [d.x, d.lo, d.hi, d.raw, d.smoothed] as uPlot.AlignedData;
  }, [series.data, smoothing, logScale]);

  return (
    <figure className="chart-card metric-chart" data-testid={`chart-${metricKey}`} data-metric-key={metricKey}>
      <figcaption className="chart-title">
        <span className="chart-key" title={metricKey}>
          {metricKey}
        </span>
        <span className="chart-meta">
          {series.data && (
            <span className="muted small" data-testid="chart-points">
              {series.data.downsampled
                ? `${series.data.points.x.length.toLocaleString()} of ${(series.data.total ?? 0).toLocaleString()} pts`
                : `${(series.data.total ?? series.data.points.x.length).toLocaleString()} pts`}
            </span>
          )}
          {zoom && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setZoom(null)}
              data-testid="chart-reset-zoom"
            >
              Reset zoom
            </button>
          )}
        </span>
      </figcaption>
      {series.isError ? (
        <ErrorMessage error={series.error} onRetry={() => void series.refetch()} />
      ) : !data ? (
        <div className="chart-placeholder" aria-busy="true">
          Loading…
        </div>
      ) : series.data && series.data.points.x.length === 0 ? (
        <div className="chart-placeholder">
          {xMode === 'epoch'
            ? 'No points of this metric carry an epoch. Call run.setEpoch(n) while logging.'
            : 'No points in this range.'}
        </div>
      ) : (
        <UplotChart
          options={options}
          data={data}
          ariaLabel={`Chart of ${metricKey} by ${xMode}`}
          onSelectX={(from, to) => setZoom({ from, to })}
          onResetX={() => setZoom(null)}
        />
      )}
    </figure>
  );
});
