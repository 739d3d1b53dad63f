import { useEffect, useId, useState, type FormEvent } from 'react';
import { parseColumn, validateFilter, type RunColumn } from '@/features/runs/utils/run-columns';
import type { RunsTableState } from '@/features/runs/hooks/use-runs-table-state';
import { RUN_STATUSES, SUMMARY_STATS, type RunStatus } from '@/types/api';

type RunsToolbarProps = {
  state: RunsTableState;
  onChange: (patch: Partial<RunsTableState>) => void;
  configKeys: string[];
  metricKeys: string[];
  onColumnsChooserToggle?: (open: boolean) => void;
};

export function RunsToolbar({ state, onChange, configKeys, metricKeys, onColumnsChooserToggle }: RunsToolbarProps) {
  const [q, setQ] = useState(state.q);
  const [filterDraft, setFilterDraft] = useState('');
  const [filterError, setFilterError] = useState<string | null>(null);
  const [columnDraft, setColumnDraft] = useState('');
  const [columnError, setColumnError] = useState<string | null>(null);
  const ids = useId();

  // A new `q` in the URL (back button, a cleared filter) replaces the draft.
  const [urlQ, setUrlQ] = useState(state.q);
  if (urlQ !== state.q) {
    setUrlQ(state.q);
    setQ(state.q);
  }
  // Debounce typing in the name search so each keystroke does not hit the API.
  useEffect(() => {
    if (q === state.q) return;
    const t = window.setTimeout(() => onChange({ q }), 300);
    return () => window.clearTimeout(t);
  }, [q, state.q, onChange]);

  const addFilter = (e: FormEvent) => {
    e.preventDefault();
    const error = validateFilter(filterDraft);
    setFilterError(error);
    if (error) return;
    onChange({ filters: [...state.filters, filterDraft.trim()] });
    setFilterDraft('');
  };

  const addColumn = (spec: string) => {
    const column = parseColumn(spec);
    if (!column) {
      setColumnError(
        'Use config.<key> or <metric key>.<stat> with stat one of min, max, mean, last, n — e.g. val/acc.max',
      );
      return;
    }
    setColumnError(null);
    if (!state.columns.some((c) => c.id === column.id)) onChange({ columns: [...state.columns, column] });
    setColumnDraft('');
  };

  const removeColumn = (column: RunColumn) => onChange({ columns: state.columns.filter((c) => c.id !== column.id) });
  const toggleConfigColumn = (key: string, on: boolean) => {
    if (on) addColumn(`config.${key}`);
    else onChange({ columns: state.columns.filter((c) => c.id !== `config.${key}`) });
  };

  const columnSuggestions = [
    ...configKeys.map((k) => `config.${k}`),
    ...metricKeys.flatMap((k) => SUMMARY_STATS.map((s) => `${k}.${s}`)),
  ];

  return (
    <div className="toolbar" data-testid="runs-toolbar">
      <div className="toolbar-row">
        <div className="field">
          <label htmlFor={`${ids}-q`}>Name contains</label>
          <input
            id={`${ids}-q`}
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            data-testid="runs-search"
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-status`}>Status</label>
          <select
            id={`${ids}-status`}
            value={state.status}
            onChange={(e) => onChange({ status: e.target.value as RunStatus | '' })}
            data-testid="runs-status-filter"
          >
            <option value="">Any</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <form className="field field-grow" onSubmit={addFilter}>
          <label htmlFor={`${ids}-filter`}>Add filter (FIELD OP VALUE)</label>
          <div className="input-group">
            <input
              id={`${ids}-filter`}
              placeholder="config.lr > 0.001   or   summary.val/acc.max >= 0.9"
              value={filterDraft}
              aria-invalid={filterError ? true : undefined}
              aria-describedby={filterError ? `${ids}-filter-error` : undefined}
              onChange={(e) => setFilterDraft(e.target.value)}
              data-testid="runs-filter-input"
            />
            <button type="submit" className="btn">
              Add
            </button>
          </div>
          {filterError && (
            <small id={`${ids}-filter-error`} className="field-error">
              {filterError}
            </small>
          )}
        </form>
      </div>
      {(state.filters.length > 0 || state.tags.length > 0) && (
        <ul className="chips" aria-label="Active filters">
          {state.tags.map((t) => (
            <li key={`tag-${t}`} className="chip" data-testid="runs-tag-filter">
              tag: {t}
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove tag filter ${t}`}
                onClick={() => onChange({ tags: state.tags.filter((x) => x !== t) })}
              >
                ×
              </button>
            </li>
          ))}
          {state.filters.map((f, i) => (
            <li key={`${f}-${i}`} className="chip">
              <code>{f}</code>
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove filter ${f}`}
                onClick={() => onChange({ filters: state.filters.filter((_, j) => j !== i) })}
              >
                ×
              </button>
            </li>
          ))}
          <li>
            <button type="button" className="btn btn-link" onClick={() => onChange({ filters: [], tags: [] })}>
              Clear filters
            </button>
          </li>
        </ul>
      )}
      <details className="columns-chooser" onToggle={(e) => onColumnsChooserToggle?.(e.currentTarget.open)}>
        <summary>Columns ({state.columns.length} extra)</summary>
        {configKeys.length > 0 && (
          <fieldset>
            <legend>Config columns</legend>
            {configKeys.map((k) => (
              <label key={k} className="checkbox">
                <input
                  type="checkbox"
                  checked={state.columns.some((c) => c.id === `config.${k}`)}
                  onChange={(e) => toggleConfigColumn(k, e.target.checked)}
                />
                {k}
              </label>
            ))}
          </fieldset>
        )}
        <form
          className="field"
          onSubmit={(e) => {
            e.preventDefault();
            addColumn(columnDraft);
          }}
        >
          <label htmlFor={`${ids}-col`}>Add column (e.g. val/acc.max or config.optimizer)</label>
          <div className="input-group">
            <input
              id={`${ids}-col`}
              list={`${ids}-col-list`}
              value={columnDraft}
              onChange={(e) => setColumnDraft(e.target.value)}
              aria-invalid={columnError ? true : undefined}
              data-testid="runs-column-input"
            />
            <datalist id={`${ids}-col-list`}>
              {columnSuggestions.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
            <button type="submit" className="btn">
              Add column
            </button>
          </div>
          {columnError && <small className="field-error">{columnError}</small>}
        </form>
        {state.columns.length > 0 && (
          <ul className="chips" aria-label="Extra columns">
            {state.columns.map((c) => (
              <li key={c.id} className="chip">
                <code>{c.id}</code>
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove column ${c.id}`}
                  onClick={() => removeColumn(c)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </details>
    </div>
  );
}
