import { memo, useMemo } from 'react';
import type uPlot from 'uplot';
import { ErrorMessage } from '@/components/error-message';
import { useSeriesOfRuns } from '@/features/charts/api/get-series';
import { UplotChart, type ChartOptions } from '@/features/charts/components/uplot-chart';
import { withAlpha } from '@/features/charts/utils/colors';
import { alignSeries, meanStd, type XY } from '@/features/charts/utils/group-stats';
import { emaSmooth } from '@/features/charts/utils/smoothing';
import { toFinite } from '@/lib/metric-value';
import type { SeriesX } from '@/types/api';

export type ChartGroup = { id: string; label: string; color: string; runIds: string[] };

type CompareChartProps = {
  slug: string;
  metricKey: string;
  groups: ChartGroup[];
  xMode: SeriesX;
  smoothing: number;
  logScale: boolean;
};

const COMPARE_MAX_POINTS = 500;

/** One metric of several runs overlaid; a group of more than one run is drawn as mean ± std band. */
export const CompareChart = memo(function CompareChart({
  slug,
  metricKey,
  groups,
  xMode,
  smoothing,
  logScale,
}: CompareChartProps) {
  const runIds = useMemo(() => groups.flatMap((g) => g.runIds), [groups]);
  const results = useSeriesOfRuns(slug, runIds, { key: metricKey, x: xMode, maxPoints: COMPARE_MAX_POINTS });
  const loading = results.some((r) => r.isPending);
  const allFailed = results.length > 0 && results.every((r) => r.isError);
  const seriesById = useMemo(() => {
    const m = new Map<string, XY>();
    results.forEach((r, i) => {
      if (!r.data) return;
      const y = r.data.points.y.map((v) => {
        const n = toFinite(v);
        return n === null || (logScale && n <= 0) ? null : n;
      });
      m.set(runIds[i], { x: r.data.points.x, y: emaSmooth(y, smoothing) });
    });
    return m;
  }, [results, runIds, smoothing, logScale]);

  // Which groups have data, and how many runs each: the chart's structure. Smoothing or new
  // points only change the data (cheap setData); a new structure re-creates the chart.
  const members = useMemo(
    () => groups.map((g) => g.runIds.map((id) => seriesById.get(id)).filter((s): s is XY => !!s && s.x.length > 0)),
    [groups, seriesById],
  );
  const layout = members.map((m) => Math.min(m.length, 2)).join(',');

  const options = useMemo<ChartOptions>(() => {
    const series: uPlot.Series[] = [{ label: xMode }];
    const bands: uPlot.Band[] = [];
    layout.split(',').forEach((count, i) => {
      const g = groups[i];
      if (count === '0' || !g) return;
      if (count === '1') {
        series.push({ label: g.label, stroke: g.color, width: 1.75, points: { show: false }, spanGaps: true });
        return;
      }
      const mean = series.length;
      series.push(
        { label: `${g.label} mean`, stroke: g.color, width: 2, points: { show: false }, spanGaps: true },
        { label: `${g.label} −std`, stroke: 'transparent', points: { show: false }, spanGaps: true },
        { label: `${g.label} +std`, stroke: 'transparent', points: { show: false }, spanGaps: true },
      );
      bands.push({ series: [mean + 2, mean + 1], fill: withAlpha(g.color, 0.18) });
    });
    return {
      ms: 1,
      scales: { x: { time: xMode === 'time' }, y: logScale ? { distr: 3 } : {} },
      axes: [{}, { size: 56 }],
      legend: { show: false },
      series,
      bands,
    };
  }, [groups, layout, xMode, logScale]);

  const data = useMemo(() => {
    const lines: XY[] = [];
    for (const m of members) {
      if (m.length === 1) lines.push(m[0]);
      else if (m.length > 1) {
        const stats = meanStd(m);
        lines.push({ x: stats.x, y: stats.mean }, { x: stats.x, y: stats.lo }, { x: stats.x, y: stats.hi });
      }
    }
    const aligned = alignSeries(lines);
    return [aligned.x, ...aligned.ys] as uPlot.AlignedData;
  }, [members]);

  return (
    <figure className="chart-card" data-testid={`compare-chart-${metricKey}`} data-metric-key={metricKey}>
      <figcaption className="chart-title">
        <span className="chart-key">{metricKey}</span>
      </figcaption>
      {allFailed ? (
        <ErrorMessage error={results[0].error} />
      ) : loading ? (
        <div className="chart-placeholder" aria-busy="true">
          Loading…
        </div>
      ) : data[0].length === 0 ? (
        <div className="chart-placeholder">
          None of these runs logged {metricKey}
          {xMode === 'epoch' ? ' with an epoch' : ''}.
        </div>
      ) : (
        <UplotChart options={options} data={data} ariaLabel={`Comparison of ${metricKey} by ${xMode}`} />
      )}
    </figure>
  );
});
