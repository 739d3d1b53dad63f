import { useId, useMemo, useState } from 'react';
import { EmptyState } from '@/components/empty-state';
import { ErrorMessage } from '@/components/error-message';
import { Spinner } from '@/components/spinner';
import { useMetrics } from '@/features/charts/api/get-metrics';
import { ChartControls } from '@/features/charts/components/chart-controls';
import { MetricChart } from '@/features/charts/components/metric-chart';
import { MetricSummaryTable } from '@/features/charts/components/metric-summary-table';
import { useChartSettings } from '@/features/charts/hooks/use-chart-settings';
import { colorAt } from '@/features/charts/utils/colors';

type MetricChartsGridProps = { slug: string; runId: string; live: boolean };

/** One chart per metric key of a run, each fetching its own downsampled series in parallel. */
export function MetricChartsGrid({ slug, runId, live }: MetricChartsGridProps) {
  const metrics = useMetrics(slug, runId, live);
  const [settings, updateSettings] = useChartSettings();
  const [keyFilter, setKeyFilter] = useState('');
  const filterId = useId();

  const keys = useMemo(() => (metrics.data?.metrics ?? []).map((m) => m.key).sort(), [metrics.data]);
  const shown = keyFilter ? keys.filter((k) => k.toLowerCase().includes(keyFilter.toLowerCase())) : keys;

  if (metrics.isPending) return <Spinner label="Loading metrics…" />;
  if (metrics.isError) return <ErrorMessage error={metrics.error} onRetry={() => void metrics.refetch()} />;
  if (keys.length === 0) {
    return (
      <EmptyState title="No metrics logged yet" testId="metrics-empty">
        <p>
          Log values from your trainer with <code>run.log("train/loss", 0.42)</code>; charts appear here
          {live ? ' and update every few seconds while the run is RUNNING' : ''}.
        </p>
      </EmptyState>
    );
  }

  return (
    <>
      <section aria-labelledby="charts-title">
        <div className="section-header">
          <h2 id="charts-title">Charts</h2>
          <span className="muted small">
            Drag across a chart to zoom (fetches that range at full resolution); double-click to reset.
          </span>
        </div>
        <ChartControls settings={settings} onChange={updateSettings}>
          <div className="field field-inline">
            <label htmlFor={filterId}>Filter metrics</label>
            <input id={filterId} type="search" value={keyFilter} onChange={(e) => setKeyFilter(e.target.value)} />
          </div>
        </ChartControls>
        <div className="chart-grid" data-testid="chart-grid" data-chart-count={shown.length}>
          {shown.map((key) => (
            <MetricChart
              key={key}
              slug={slug}
              runId={runId}
              metricKey={key}
              xMode={settings.xMode}
              smoothing={settings.smoothing}
              logScale={settings.logScale}
              live={live}
              color={colorAt(keys.indexOf(key))}
            />
          ))}
        </div>
      </section>
      <section className="card" aria-labelledby="summary-title">
        <h2 id="summary-title" className="card-title">
          Summary per metric
        </h2>
        <MetricSummaryTable metrics={metrics.data.metrics} />
      </section>
    </>
  );
}
