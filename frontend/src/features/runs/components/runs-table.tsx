import { Link } from 'react-router';
import { StatusBadge } from '@/components/status-badge';
import { formatDateTime } from '@/lib/format';
import {
  columnCell,
  columnField,
  columnLabel,
  sortDirection,
  toggleSort,
  type RunColumn,
} from '@/features/runs/utils/run-columns';
import type { Run, RunSummary } from '@/types/api';
import { ConfirmAction } from '@/components/confirm-action';

type RunsTableProps = {
  slug: string;
  runs: Run[];
  columns: RunColumn[];
  summaries: Record<string, RunSummary>;
  sort: string;
  onSort: (sort: string) => void;
  onTagClick: (tag: string) => void;
  selected: Set<string>;
  onToggleSelect: (runId: string, selected: boolean) => void;
  onToggleAll: (selected: boolean) => void;
  canDelete: boolean;
  onDelete: (run: Run) => void;
  deletingId?: string | null;
};

export const runLabel = (run: Pick<Run, 'name' | 'id'>) => run.name || run.id.slice(0, 8);

function SortHeader({
  field,
  label,
  sort,
  onSort,
}: {
  field: string;
  label: string;
  sort: string;
  onSort: (s: string) => void;
}) {
  const dir = sortDirection(sort, field);
  return (
    <th scope="col" aria-sort={dir}>
      <button
        type="button"
        className="sort-button"
        onClick={() => onSort(toggleSort(sort, field))}
        data-testid={`sort-${field}`}
      >
        {label}
        <span aria-hidden="true" className="sort-indicator">
          {dir === 'ascending' ? '▲' : dir === 'descending' ? '▼' : '↕'}
        </span>
      </button>
    </th>
  );
}

export function RunsTable(props: RunsTableProps) {
  const { slug, runs, columns, summaries, sort, onSort, selected, onToggleSelect, onToggleAll } = props;
  const allSelected = runs.length > 0 && runs.every((r) => selected.has(r.id));

  return (
    <div className="table-scroll">
      <table className="table runs-table" data-testid="runs-table">
        <caption className="sr-only">Runs; column headers sort the table</caption>
        <thead>
          <tr>
            <th scope="col" className="select-col">
              <input
                type="checkbox"
                aria-label="Select all runs on this page"
                checked={allSelected}
                onChange={(e) => onToggleAll(e.target.checked)}
              />
            </th>
            <SortHeader field="status" label="Status" sort={sort} onSort={onSort} />
            <SortHeader field="name" label="Name" sort={sort} onSort={onSort} />
            <SortHeader field="group" label="Group" sort={sort} onSort={onSort} />
            <th scope="col">Tags</th>
            <SortHeader field="createdAt" label="Created" sort={sort} onSort={onSort} />
            {columns.map((c) => (
              <SortHeader key={c.id} field={columnField(c)} label={columnLabel(c)} sort={sort} onSort={onSort} />
            ))}
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id} data-testid="run-row" data-run-id={run.id} data-run-status={run.status}>
              <td className="select-col">
                <input
                  type="checkbox"
                  aria-label={`Select run ${runLabel(run)} for comparison`}
                  checked={selected.has(run.id)}
                  onChange={(e) => onToggleSelect(run.id, e.target.checked)}
                  data-testid="run-select"
                />
              </td>
              <td>
                <StatusBadge status={run.status} />
              </td>
              <td>
                <Link
                  to={`/projects/${encodeURIComponent(slug)}/runs/${encodeURIComponent(run.id)}`}
                  data-testid="run-link"
                >
                  {runLabel(run)}
                </Link>
              </td>
              <td>{run.group ?? ''}</td>
              <td>
                {run.tags.map((t) => (
                  <button
                    key={t}
                    type="button"
                    className="tag tag-button"
                    title={`Show only runs tagged ${t}`}
                    onClick={() => props.onTagClick(t)}
                  >
                    {t}
                  </button>
                ))}
              </td>
              <td>{formatDateTime(run.createdAt)}</td>
              {columns.map((c) => (
                <td key={c.id} className={c.kind === 'summary' ? 'num' : undefined} data-testid={`cell-${c.id}`}>
                  {columnCell(run, c, summaries[run.id])}
                </td>
              ))}
              <td className="actions">
                {props.canDelete && (
                  <ConfirmAction
                    label="Delete"
                    ariaLabel={`Delete run ${runLabel(run)}`}
                    question="Delete run and all its data?"
                    onConfirm={() => props.onDelete(run)}
                    busy={props.deletingId === run.id}
                    testId="run-delete"
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
