import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '@/components/empty-state';
import { ErrorMessage } from '@/components/error-message';
import { Spinner } from '@/components/spinner';
import { useDeleteRun } from '@/features/runs/api/delete-run';
import { useRunSummaries } from '@/features/runs/api/get-run-summary';
import { useRuns } from '@/features/runs/api/get-runs';
import { RunsTable } from '@/features/runs/components/runs-table';
import { RunsToolbar } from '@/features/runs/components/runs-toolbar';
import { SdkSnippet } from '@/features/runs/components/sdk-snippet';
import { DEFAULT_SORT, useRunsTableState } from '@/features/runs/hooks/use-runs-table-state';
import type { RunListQuery } from '@/types/api';

const PAGE_SIZE = 50;
const FIRST_PAGE: (string | null)[] = [null];

type RunsViewProps = { slug: string; canWrite: boolean };

export function RunsView({ slug, canWrite }: RunsViewProps) {
  const { state, update } = useRunsTableState();
  // Cursor stack: [null, c1, c2…]; the last entry is the current page. Other filters start at page 1.
  const [cursors, setCursors] = useState<(string | null)[]>(FIRST_PAGE);
  const filterKey = JSON.stringify([state.status, state.q, state.filters, state.tags, state.sort]);
  const [cursorsFor, setCursorsFor] = useState(filterKey);
  if (cursorsFor !== filterKey) {
    setCursorsFor(filterKey);
    setCursors(FIRST_PAGE);
  }
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [chooserOpen, setChooserOpen] = useState(false);
  const deleteRun = useDeleteRun(slug);

  const query: RunListQuery = {
    status: state.status,
    q: state.q,
    filter: state.filters,
    tag: state.tags,
    sort: state.sort,
    limit: PAGE_SIZE,
    cursor: cursors[cursors.length - 1],
    // Summaries ride along with the list: the chosen columns' keys, or all keys while the column
    // chooser is open (to suggest them).
    summaryKey: chooserOpen
      ? ['*']
      : [...new Set(state.columns.flatMap((c) => (c.kind === 'summary' ? [c.key] : [])))].sort(),
  };
  const runsQuery = useRuns(slug, query);
  const runs = useMemo(() => runsQuery.data?.runs ?? [], [runsQuery.data]);
  const hasSummaryColumns = state.columns.some((c) => c.kind === 'summary');
  const summaries = useRunSummaries(slug, runs, hasSummaryColumns);

  const configKeys = useMemo(() => [...new Set(runs.flatMap((r) => Object.keys(r.config ?? {})))].sort(), [runs]);
  const metricKeys = useMemo(() => {
    const keys = new Set<string>();
    runs.forEach((r) => Object.keys(r.summary ?? summaries[r.id] ?? {}).forEach((k) => keys.add(k)));
    return [...keys].sort();
  }, [runs, summaries]);

  const filtered = !!(state.status || state.q || state.filters.length > 0 || state.tags.length > 0);
  const selectedIds = [...selected];
  const compareHref = `/projects/${encodeURIComponent(slug)}/compare?${new URLSearchParams(
    selectedIds.map((id) => ['run', id]),
  ).toString()}`;

  return (
    <section aria-labelledby="runs-title">
      <div className="section-header">
        <h2 id="runs-title">Runs</h2>
        <div className="section-actions">
          {runsQuery.isFetching && !runsQuery.isPending && <span className="muted small">Refreshing…</span>}
          <span className="muted" aria-live="polite">
            {selected.size} selected
          </span>
          {selected.size >= 2 ? (
            <Link className="btn btn-primary" to={compareHref} data-testid="compare-selected">
              Compare {selected.size} runs
            </Link>
          ) : (
            <button
              type="button"
              className="btn"
              disabled
              title="Select at least two runs"
              data-testid="compare-selected"
            >
              Compare
            </button>
          )}
          {selected.size > 0 && (
            <button type="button" className="btn btn-link" onClick={() => setSelected(new Set())}>
              Clear selection
            </button>
          )}
        </div>
      </div>
      <RunsToolbar
        state={state}
        onChange={update}
        configKeys={configKeys}
        metricKeys={metricKeys}
        onColumnsChooserToggle={setChooserOpen}
      />
      {deleteRun.isError && <ErrorMessage error={deleteRun.error} />}
      {runsQuery.isPending ? (
        <Spinner label="Loading runs…" />
      ) : runsQuery.isError ? (
        <ErrorMessage error={runsQuery.error} onRetry={() => void runsQuery.refetch()} />
      ) : runs.length === 0 && cursors.length === 1 ? (
        filtered ? (
          <EmptyState title="No runs match these filters" testId="runs-empty-filtered">
            <button
              type="button"
              className="btn"
              onClick={() => update({ status: '', q: '', filters: [], tags: [], sort: DEFAULT_SORT })}
            >
              Clear filters
            </button>
          </EmptyState>
        ) : (
          <EmptyState title="Log your first run" testId="runs-empty">
            <SdkSnippet slug={slug} />
          </EmptyState>
        )
      ) : (
        <>
          <RunsTable
            slug={slug}
            runs={runs}
            columns={state.columns}
            summaries={summaries}
            sort={state.sort}
            onSort={(sort) => update({ sort })}
            onTagClick={(tag) => !state.tags.includes(tag) && update({ tags: [...state.tags, tag] })}
            selected={selected}
            onToggleSelect={(id, on) =>
              setSelected((prev) => {
                const next = new Set(prev);
                if (on) next.add(id);
                else next.delete(id);
                return next;
              })
            }
            onToggleAll={(on) =>
              setSelected((prev) => {
                const next = new Set(prev);
                runs.forEach((r) => (on ? next.add(r.id) : next.delete(r.id)));
                return next;
              })
            }
            canDelete={canWrite}
            deletingId={deleteRun.isPending ? deleteRun.variables : null}
            onDelete={(run) =>
              deleteRun.mutate(run.id, {
                onSuccess: () =>
                  setSelected((prev) => {
                    const next = new Set(prev);
                    next.delete(run.id);
                    return next;
                  }),
              })
            }
          />
          <nav className="pagination" aria-label="Runs pages">
            <button
              type="button"
              className="btn"
              disabled={cursors.length === 1}
              onClick={() => setCursors((c) => c.slice(0, -1))}
              data-testid="runs-prev-page"
            >
              ← Previous
            </button>
            <span className="muted">Page {cursors.length}</span>
            <button
              type="button"
              className="btn"
              disabled={!runsQuery.data?.nextCursor}
              onClick={() => setCursors((c) => [...c, runsQuery.data?.nextCursor ?? null])}
              data-testid="runs-next-page"
            >
              Next →
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
