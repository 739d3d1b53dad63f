import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { parseColumn, type RunColumn } from '@/features/runs/utils/run-columns';
import { RUN_STATUSES, type RunStatus } from '@/types/api';

export const DEFAULT_SORT = '-createdAt';

export type RunsTableState = {
  status: RunStatus | '';
  q: string;
  filters: string[];
  tags: string[];
  sort: string;
  columns: RunColumn[];
};

/** Table view state lives in the URL (`status`, `q`, `tag`…, `filter`…, `sort`, `col`…) so views can be shared. */
export function useRunsTableState() {
  const [params, setParams] = useSearchParams();

  const state: RunsTableState = useMemo(() => {
    const status = params.get('status') ?? '';
    return {
      status: (RUN_STATUSES as string[]).includes(status) ? (status as RunStatus) : '',
      q: params.get('q') ?? '',
      filters: params.getAll('filter'),
      tags: params.getAll('tag'),
      sort: params.get('sort') || DEFAULT_SORT,
      columns: params
        .getAll('col')
        .map(parseColumn)
        .filter((c): c is RunColumn => c !== null),
    };
  }, [params]);

  const update = useCallback(
    (patch: Partial<RunsTableState>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          const set = (name: string, value: string | undefined) => {
            if (value) next.set(name, value);
            else next.delete(name);
          };
          const setAll = (name: string, values: string[]) => {
            next.delete(name);
            values.forEach((v) => next.append(name, v));
          };
          if (patch.status !== undefined) set('status', patch.status);
          if (patch.q !== undefined) set('q', patch.q);
          if (patch.sort !== undefined) set('sort', patch.sort === DEFAULT_SORT ? '' : patch.sort);
          if (patch.filters !== undefined) setAll('filter', patch.filters);
          if (patch.tags !== undefined) setAll('tag', patch.tags);
          if (patch.columns !== undefined)
            setAll(
              'col',
              patch.columns.map((c) => c.id),
            );
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  return { state, update };
}
