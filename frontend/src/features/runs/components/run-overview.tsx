import { StatusBadge } from '@/components/status-badge';
import { formatAgo, formatDateTime, formatDuration, formatJsonValue } from '@/lib/format';
import type { Run } from '@/types/api';

/** Status, times, heartbeat, tags, notes and config of one run. */
export function RunOverview({ run }: { run: Run }) {
  const configEntries = Object.entries(run.config ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="run-overview" data-testid="run-overview">
      <div className="card">
        <h2 className="card-title">Overview</h2>
        <dl className="facts">
          <dt>Status</dt>
          <dd>
            <StatusBadge status={run.status} />
          </dd>
          <dt>Run id</dt>
          <dd>
            <code data-testid="run-id">{run.id}</code>
          </dd>
          <dt>Group</dt>
          <dd>{run.group || '—'}</dd>
          <dt>Tags</dt>
          <dd data-testid="run-tags">
            {run.tags.length === 0
              ? '—'
              : run.tags.map((t) => (
                  <span key={t} className="tag">
                    {t}
                  </span>
                ))}
          </dd>
          <dt>Created</dt>
          <dd>
            {formatDateTime(run.createdAt)}
            {run.createdBy && <span className="muted"> by {run.createdBy}</span>}
          </dd>
          <dt>Started</dt>
          <dd>{formatDateTime(run.startedAt)}</dd>
          <dt>Ended</dt>
          <dd>{formatDateTime(run.endedAt)}</dd>
          <dt>Duration</dt>
          <dd>
            {formatDuration(
              run.startedAt ?? run.createdAt,
              run.endedAt ?? (run.status === 'RUNNING' ? null : run.heartbeatAt),
            )}
          </dd>
          <dt>Last heartbeat</dt>
          <dd data-testid="run-heartbeat">
            {run.heartbeatAt ? (
              <time dateTime={run.heartbeatAt} title={formatDateTime(run.heartbeatAt)}>
                {formatAgo(run.heartbeatAt)}
              </time>
            ) : (
              '—'
            )}
          </dd>
        </dl>
        {run.notes && (
          <>
            <h3>Notes</h3>
            <p className="notes">{run.notes}</p>
          </>
        )}
      </div>
      <div className="card">
        <h2 className="card-title">Config</h2>
        {configEntries.length === 0 ? (
          <p className="muted">
            No config recorded. Pass hyperparameters with <code>newRun().config("lr", 0.01)</code> to compare runs by
            them.
          </p>
        ) : (
          <table className="table table-compact" data-testid="run-config">
            <caption className="sr-only">Config of this run</caption>
            <tbody>
              {configEntries.map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>
                    <code>{formatJsonValue(v)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
