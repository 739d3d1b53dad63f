import { memo, useMemo } from 'react';
import type uPlot from 'uplot';
import { ErrorMessage } from '@/components/error-message';
import { Spinner } from '@/components/spinner';
import { useEpochs } from '@/features/charts/api/get-epochs';
import { UplotChart, type ChartOptions } from '@/features/charts/components/uplot-chart';
import { colorAt } from '@/features/charts/utils/colors';
import { buildEpochTable, type EpochColumnGroup, type EpochTable } from '@/features/charts/utils/epoch-table';
import { formatNumber } from '@/lib/format';
import { toFinite } from '@/lib/metric-value';

const EpochGroupChart = memo(function EpochGroupChart({
  group,
  table,
}: {
  group: EpochColumnGroup;
  table: EpochTable;
}) {
  // Polling rebuilds the table; keep the chart (only setData) unless its set of keys changed.
  const keysSignature = JSON.stringify(group.keys.map((k) => k.key));
  const options = useMemo<ChartOptions>(() => {
    const keys = JSON.parse(keysSignature) as string[];
    return {
      scales: { x: { time: false } },
      axes: [{}, { size: 56 }],
      series: [
        { label: 'epoch' },
        ...keys.map((key, i) => ({
          label: key,
          stroke: colorAt(i),
          width: 1.75,
          points: { show: true, size: 5 },
          spanGaps: true,
        })),
      ],
    };
  }, [keysSignature]);
  const data = useMemo(
    () =>
      [
        table.rows.map((r) => r.epoch),
        ...group.keys.map((k) => table.rows.map((r) => toFinite(r.values[k.key]))),
      ] as uPlot.AlignedData,
    [group, table],
  );
  return (
    <figure className="chart-card" data-testid={`epoch-chart-${group.base}`}>
      <figcaption className="chart-title">
        <span className="chart-key">{group.base}</span>
        <span className="muted small">per epoch</span>
      </figcaption>
      <UplotChart options={options} data={data} height={180} ariaLabel={`Per-epoch chart of ${group.base}`} />
    </figure>
  );
});

/** Per-epoch summaries (`GET …/epochs`): a table with train/X and val/X side by side, and one chart per metric X. */
export function EpochSummary({ slug, runId, live }: { slug: string; runId: string; live: boolean }) {
  const epochs = useEpochs(slug, runId, live);
  const table = useMemo(() => (epochs.data ? buildEpochTable(epochs.data.epochs) : null), [epochs.data]);
  const reductions = useMemo(() => {
    const m = new Map<string, string>();
    epochs.data?.epochs.forEach((e) => m.set(e.key, e.reduction));
    return m;
  }, [epochs.data]);

  return (
    <section className="card" aria-labelledby="epochs-title">
      <h2 id="epochs-title" className="card-title">
        Per-epoch summary
      </h2>
      {epochs.isPending ? (
        <Spinner label="Loading epoch summaries…" />
      ) : epochs.isError ? (
        <ErrorMessage error={epochs.error} onRetry={() => void epochs.refetch()} />
      ) : !table || table.rows.length === 0 ? (
        <p className="muted" data-testid="epochs-empty">
          No epochs recorded. Call <code>run.setEpoch(n)</code> at the start of each epoch and every later point is
          summarized here per epoch (mean by default; last for learning rates, median for gradient norms).
        </p>
      ) : (
        <>
          <div className="table-scroll">
            <table className="table table-compact epoch-table" data-testid="epoch-table">
              <caption className="sr-only">Metric values reduced per epoch</caption>
              <thead>
                <tr>
                  <th scope="col" rowSpan={2}>
                    Epoch
                  </th>
                  {table.groups.map((g) => (
                    <th key={g.base} scope="colgroup" colSpan={g.keys.length} className="group-head">
                      {g.base}
                    </th>
                  ))}
                </tr>
                <tr>
                  {table.groups.flatMap((g) =>
                    g.keys.map((k) => (
                      <th key={k.key} scope="col" className="num" title={`${k.key} (${reductions.get(k.key) ?? ''})`}>
                        {k.split || k.key}
                        <span className="muted small"> {reductions.get(k.key)}</span>
                      </th>
                    )),
                  )}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row) => (
                  <tr key={row.epoch} data-testid="epoch-row" data-epoch={row.epoch}>
                    <th scope="row">{row.epoch}</th>
                    {table.groups.flatMap((g) =>
                      g.keys.map((k) => (
                        <td key={k.key} className="num" data-key={k.key}>
                          {formatNumber(row.values[k.key])}
                        </td>
                      )),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="chart-grid chart-grid-small" data-testid="epoch-charts">
            {table.groups.map((g) => (
              <EpochGroupChart key={g.base} group={g} table={table} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
