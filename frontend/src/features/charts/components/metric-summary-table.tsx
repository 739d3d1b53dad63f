import { formatNumber } from '@/lib/format';
import type { MetricKeyStats } from '@/types/api';

const NUMERIC_COLUMNS = ['n', 'min', 'max', 'mean', 'std', 'last', 'steps', 'non-finite'];

/** Summary statistics per metric key (`GET …/metrics`). */
export function MetricSummaryTable({ metrics }: { metrics: MetricKeyStats[] }) {
  return (
    <div className="table-scroll">
      <table className="table table-compact" data-testid="metric-summary-table">
        <caption className="sr-only">Summary statistics per metric</caption>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            {NUMERIC_COLUMNS.map((label) => (
              <th key={label} scope="col" className="num">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {metrics.map((m) => (
            <tr key={m.key} data-testid="metric-summary-row" data-metric-key={m.key}>
              <th scope="row">{m.key}</th>
              <td className="num">{m.n}</td>
              <td className="num">{formatNumber(m.min)}</td>
              <td className="num">{formatNumber(m.max)}</td>
              <td className="num">{formatNumber(m.mean)}</td>
              <td className="num">{formatNumber(m.std)}</td>
              <td className="num">{formatNumber(m.last)}</td>
              <td className="num">
                {m.firstStep}–{m.lastStep}
              </td>
              <td className="num">{m.nonFinite}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
