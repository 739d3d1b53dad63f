import { formatJsonValue, formatNumber } from '@/lib/format';
import { SUMMARY_STATS, type Run, type RunListQuery, type RunSummary, type SummaryStatName } from '@/types/api';
import type { QueryValue } from '@/lib/api-client';

export type RunColumn =
  { kind: 'config'; key: string; id: string } | { kind: 'summary'; key: string; stat: SummaryStatName; id: string };

/**
 * Parses a column spec as used in the URL and in sort/filter fields: `config.<key>` or
 * `summary.<metric key>.<stat>` (a bare `<metric key>.<stat>` such as `val/acc.max` also works).
 */
export function parseColumn(spec: string): RunColumn | null {
  const s = spec.trim();
  if (!s) return null;
  if (s.startsWith('config.')) {
    const key = s.slice('config.'.length);
    return key ? { kind: 'config', key, id: `config.${key}` } : null;
  }
  const body = s.startsWith('summary.') ? s.slice('summary.'.length) : s;
  const dot = body.lastIndexOf('.');
  if (dot <= 0) return null;
  const key = body.slice(0, dot);
  const stat = body.slice(dot + 1) as SummaryStatName;
  if (!SUMMARY_STATS.includes(stat)) return null;
  return { kind: 'summary', key, stat, id: `summary.${key}.${stat}` };
}

/** The API sort/filter FIELD for a column (same as its id). */
export const columnField = (column: RunColumn) => column.id;

export const columnLabel = (column: RunColumn) =>
  column.kind === 'config' ? column.key : `${column.key}.${column.stat}`;

export function summaryCell(summary: RunSummary | undefined, key: string, stat: SummaryStatName): string {
  const stats = summary?.[key];
  if (!stats) return '—';
  return formatNumber(stats[stat]);
}

export function columnCell(run: Run, column: RunColumn, summary?: RunSummary): string {
  if (column.kind === 'config') return formatJsonValue(run.config?.[column.key]);
  return summaryCell(summary ?? run.summary, column.key, column.stat);
}

/** Query parameters of `GET /projects/{slug}/runs`; `filter`, `tag` and `summaryKey` repeat. */
export function buildRunListParams(query: RunListQuery): Record<string, QueryValue> {
  return {
    status: query.status || undefined,
    group: query.group?.trim() || undefined,
    tag: query.tag?.filter(Boolean),
    q: query.q?.trim() || undefined,
    filter: query.filter?.map((f) => f.trim()).filter(Boolean),
    sort: query.sort || undefined,
    limit: query.limit,
    cursor: query.cursor || undefined,
    summaryKey: query.summaryKey?.length ? query.summaryKey : undefined,
  };
}

/** Clicking a sortable header: a new field sorts ascending, the same field flips direction. */
export function toggleSort(current: string | undefined, field: string): string {
  if (current === field) return `-${field}`;
  if (current === `-${field}`) return field;
  return field;
}

export function sortDirection(current: string | undefined, field: string): 'ascending' | 'descending' | 'none' {
  if (current === field) return 'ascending';
  if (current === `-${field}`) return 'descending';
  return 'none';
}

const FILTER_PATTERN = /^\s*(name|status|group|createdAt|config\.\S+|summary\.\S+)\s*(!=|<=|>=|=|<|>|~)\s*(.+?)\s*$/;

/** Validates a `FIELD OP VALUE` filter before it goes to the API; returns an error message or null. */
export function validateFilter(filter: string): string | null {
  if (!filter.trim()) return 'Enter a filter such as config.lr > 0.01';
  if (!FILTER_PATTERN.test(filter)) {
    return 'Use FIELD OP VALUE, e.g. config.lr > 0.01, summary.val/acc.max >= 0.9, name ~ resnet (OP: = != < <= > >= ~)';
  }
  return null;
}
