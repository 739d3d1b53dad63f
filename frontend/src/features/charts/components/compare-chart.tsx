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
export const CompareChart = memo(function CompareChart({ slug, metricKey, groups, xMode, smoothing, logScale }: CompareChartProps) {
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
    // `results` is a new array on every render; recompute only when some query's data changed.
  }, [results.map((r) => r.dataUpdatedAt).join(','), runIds, smoothing, logScale]);

  const { options, data } = useMemo(() => {
    const lines: XY[] = [];
    const series: uPlot.Series[] = [{ label: xMode }];
    const bands: uPlot.Band[] = [];
    for (const g of groups) {
      const members = g.runIds.map((id) => seriesById.get(id)).filter((s): s is XY => !!s && s.x.length > 0);
      if (members.length === 0) continue;
      if (members.length === 1) {
        lines.push(members[0]);
        series.push({ label: g.label, stroke: g.color, width: 1.75, points: { show: false }, spanGaps: true });
        continue;
      }
      const stats = meanStd(members);
      const base = series.length; // index of the mean series
      lines.push({ x: stats.x, y: stats.mean }, { x: stats.x, y: stats.lo }, { x: stats.x, y: stats.hi });
      series.push(
        { label: `${g.label} mean`, stroke: g.color, width: 2, points: { show: false }, spanGaps: true },
        { label: `${g.label} −std`, stroke: 'transparent', points: { show: false }, spanGaps: true },
        { label: `${g.label} +std`, stroke: 'transparent', points: { show: false }, spanGaps: true },
      );
      bands.push({ series: [base + 2, base + 1], fill: withAlpha(g.color, 0.18) });
    }
    const aligned = alignSeries(lines);
    const opts: ChartOptions = {
      ms: 1,
      scales: { x: { time: xMode === 'time' }, y: logScale ? { distr: 3 } : {} },
      axes: [{}, { size: 56 }],
      legend: { show: false },
      series,
      bands,
    };
    return { options: opts, data: [aligned.x, ...aligned.ys] as uPlot.AlignedData };
  }, [groups, seriesById, xMode, logScale]);

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
        <div className="chart-placeholder">None of these runs logged {metricKey}{xMode === 'epoch' ? ' with an epoch' : ''}.</div>
      ) : (
        <UplotChart options={options} data={data} ariaLabel={`Comparison of ${metricKey} by ${xMode}`} />
      )}
    </figure>
  );
});
