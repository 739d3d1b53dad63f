import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useProjectContext } from '@/app/routes/project-layout';
import { EmptyState } from '@/components/empty-state';
import { ErrorBoundary } from '@/components/error-boundary';
import { ErrorMessage } from '@/components/error-message';
import { Spinner } from '@/components/spinner';
import { CompareView } from '@/features/charts/components/compare-view';
import { useRunsById } from '@/features/runs/api/get-run';
import type { Run } from '@/types/api';

export function ComparePage() {
  const { project } = useProjectContext();
  const [params] = useSearchParams();
  const runIds = [
    ...new Set(
      params
        .getAll('run')
        .flatMap((v) => v.split(','))
        .filter(Boolean),
    ),
  ];
  const runs = useRunsById(project.slug, runIds);
  const base = `/projects/${encodeURIComponent(project.slug)}`;
  // `runs` stays the same array until a run's data or status changes, so charts are not rebuilt.
  const loaded = useMemo(() => runs.map((r) => r.data).filter((r): r is Run => !!r), [runs]);

  if (runIds.length < 2) {
    return (
      <EmptyState title="Pick runs to compare" testId="compare-empty">
        <p>
          Tick two or more runs in the <Link to={base}>runs table</Link> and press Compare.
        </p>
      </EmptyState>
    );
  }
  if (runs.some((r) => r.isPending)) return <Spinner label="Loading runs…" />;
  const failed = runs.find((r) => r.isError);

  return (
    <div className="compare-page" data-testid="compare-page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={base}>Runs</Link> / <span>Compare {loaded.length} runs</span>
      </nav>
      {failed && <ErrorMessage error={failed.error} />}
      <ErrorBoundary>
        <CompareView slug={project.slug} runs={loaded} />
      </ErrorBoundary>
    </div>
  );
}
