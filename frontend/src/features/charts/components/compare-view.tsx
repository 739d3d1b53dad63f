import { useId, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { EmptyState } from '@/components/empty-state';
import { Spinner } from '@/components/spinner';
import { useMetricsOfRuns } from '@/features/charts/api/get-metrics';
import { ChartControls } from '@/features/charts/components/chart-controls';
import { CompareChart, type ChartGroup } from '@/features/charts/components/compare-chart';
import { CompareLegend, type LegendEntry } from '@/features/charts/components/compare-legend';
import { useChartSettings } from '@/features/charts/hooks/use-chart-settings';
import { colorAt } from '@/features/charts/utils/colors';
import { describeConfig, differingConfigKeys } from '@/features/charts/utils/compare-legend';
import { groupRuns, isSeedKey, type GroupBy } from '@/features/charts/utils/group-stats';
import type { Run } from '@/types/api';

const runName = (r: Run) => r.name || r.id.slice(0, 8);

function parseGroupBy(value: string): GroupBy {
  if (value === 'seed' || value === 'group') return { kind: value };
  if (value.startsWith('config.')) return { kind: 'config', key: value.slice('config.'.length) };
  return { kind: 'none' };
}

/** Selected runs overlaid per metric, optionally grouped into mean ± std bands. */
export function CompareView({ slug, runs }: { slug: string; runs: Run[] }) {
  const [settings, updateSettings] = useChartSettings();
  // Grouping lives in the URL (`by=seed|group|config.<key>`) so a grouped comparison can be shared.
  const [params, setParams] = useSearchParams();
  const groupByValue = params.get('by') ?? 'none';
  const setGroupByValue = (value: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value === 'none') next.delete('by');
        else next.set('by', value);
        return next;
      },
      { replace: true },
    );
  const groupById = useId();
  const runIds = useMemo(() => runs.map((r) => r.id), [runs]);
  const metricQueries = useMetricsOfRuns(slug, runIds);
  const metricsLoading = metricQueries.some((q) => q.isPending);
  const metricKeys = useMemo(() => {
    const keys = new Set<string>();
    metricQueries.forEach((q) => q.data?.metrics.forEach((m) => keys.add(m.key)));
    return [...keys].sort();
  }, [metricQueries]);

  const differing = useMemo(() => differingConfigKeys(runs), [runs]);
  const configKeys = useMemo(() => [...new Set(runs.flatMap((r) => Object.keys(r.config ?? {})))].sort(), [runs]);
  const { groups, legend } = useMemo(() => {
    const groupBy = parseGroupBy(groupByValue);
    const grouped = groupRuns(runs, groupBy);
    const withoutSeed = differing.filter((k) => !isSeedKey(k));
    const chartGroups: ChartGroup[] = [];
    const entries: LegendEntry[] = [];
    grouped.forEach((g, i) => {
      const color = colorAt(i);
      const label =
        groupBy.kind === 'none'
          ? runName(g.runs[0])
          : groupBy.kind === 'seed'
            ? describeConfig(g.runs[0], withoutSeed) || 'same config'
            : g.label;
      const detail =
        groupBy.kind === 'none'
          ? describeConfig(g.runs[0], differing)
          : g.runs
              .map((r) => `${runName(r)}${describeConfig(r, differing) ? ` (${describeConfig(r, differing)})` : ''}`)
              .join('; ');
      // A mean ± std band is meant for runs that differ only in seed; say so when they do not.
      const groupKey = groupBy.kind === 'config' ? groupBy.key : null;
      const alsoDiffer = differingConfigKeys(g.runs).filter((k) => !isSeedKey(k) && k !== groupKey);
      chartGroups.push({ id: g.id, label, color, runIds: g.runs.map((r) => r.id) });
      entries.push({ id: g.id, color, label, detail, runCount: g.runs.length, alsoDiffer });
    });
    return { groups: chartGroups, legend: entries };
  }, [runs, groupByValue, differing]);

  return (
    <>
      <ChartControls settings={settings} onChange={updateSettings}>
        <div className="field field-inline">
          <label htmlFor={groupById}>Group by</label>
          <select
            id={groupById}
            value={groupByValue}
            onChange={(e) => setGroupByValue(e.target.value)}
            data-testid="compare-group-by"
          >
            <option value="none">Nothing (one line per run)</option>
            <option value="seed">Same config except seed (mean ± std)</option>
            <option value="group">Run group (mean ± std)</option>
            {configKeys.map((k) => (
              <option key={k} value={`config.${k}`}>
                config.{k} (mean ± std)
              </option>
            ))}
          </select>
        </div>
      </ChartControls>
      <CompareLegend entries={legend} differingKeys={differing} />
      {metricsLoading ? (
        <Spinner label="Loading metrics…" />
      ) : metricKeys.length === 0 ? (
        <EmptyState title="These runs have no metrics yet">
          <p>
            Log values with <code>run.log("train/loss", 0.42)</code> and they appear here side by side.
          </p>
        </EmptyState>
      ) : (
        <div className="chart-grid" data-testid="compare-charts">
          {metricKeys.map((key) => (
            <CompareChart
              key={key}
              slug={slug}
              metricKey={key}
              groups={groups}
              xMode={settings.xMode}
              smoothing={settings.smoothing}
              logScale={settings.logScale}
            />
          ))}
        </div>
      )}
    </>
  );
}
