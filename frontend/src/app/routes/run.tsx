import { Link, useParams } from 'react-router';
import { useProjectContext } from '@/app/routes/project-layout';
import { ErrorBoundary } from '@/components/error-boundary';
import { ErrorMessage } from '@/components/error-message';
import { Spinner } from '@/components/spinner';
import { EpochSummary } from '@/features/charts/components/epoch-summary';
import { MetricChartsGrid } from '@/features/charts/components/metric-charts-grid';
import { useRun } from '@/features/runs/api/get-run';
import { ArtifactsTable } from '@/features/runs/components/artifacts-table';
import { RunOverview } from '@/features/runs/components/run-overview';

export function RunPage() {
  const { project } = useProjectContext();
  const { runId = '' } = useParams();
  const run = useRun(project.slug, runId);
  const base = `/projects/${encodeURIComponent(project.slug)}`;

  if (run.isPending) return <Spinner label="Loading run…" />;
  if (run.isError) return <ErrorMessage error={run.error} onRetry={() => void run.refetch()} />;
  const live = run.data.status === 'RUNNING';

  return (
    <div className="run-page" data-testid="run-page" data-run-id={run.data.id}>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={base}>Runs</Link> / <span>{run.data.name || run.data.id.slice(0, 8)}</span>
      </nav>
      <div className="section-actions run-actions">
        <a
          className="btn btn-small"
          href={`/api/v1/projects/${encodeURIComponent(project.slug)}/runs/${encodeURIComponent(run.data.id)}/export/trainlog`}
          download={`${run.data.id}.trainlog.json`}
          data-testid="run-export-trainlog"
        >
          Export TrainLog JSON
        </a>
      </div>
      <h2 className="run-title" data-testid="run-name">
        {run.data.name || run.data.id}
        {live && (
          <span className="muted small live-note" aria-live="polite">
            {' '}
            live — updating every 5 s
          </span>
        )}
      </h2>
      <ErrorBoundary>
        <RunOverview run={run.data} />
      </ErrorBoundary>
      <ErrorBoundary>
        <MetricChartsGrid slug={project.slug} runId={runId} live={live} />
      </ErrorBoundary>
      <ErrorBoundary>
        <EpochSummary slug={project.slug} runId={runId} live={live} />
      </ErrorBoundary>
      <ErrorBoundary>
        <ArtifactsTable slug={project.slug} runId={runId} live={live} />
      </ErrorBoundary>
    </div>
  );
}
