import { ErrorMessage } from '@/components/error-message';
import { Spinner } from '@/components/spinner';
import { useArtifacts } from '@/features/runs/api/get-artifacts';
import { formatBytes, formatDateTime } from '@/lib/format';

const isHttpUrl = (uri: string) => /^https?:\/\//i.test(uri);

export function ArtifactsTable({ slug, runId, live }: { slug: string; runId: string; live: boolean }) {
  const artifacts = useArtifacts(slug, runId, live);
  return (
    <section className="card" aria-labelledby="artifacts-title">
      <h2 id="artifacts-title" className="card-title">
        Artifacts
      </h2>
      {artifacts.isPending ? (
        <Spinner label="Loading artifacts…" />
      ) : artifacts.isError ? (
        <ErrorMessage error={artifacts.error} onRetry={() => void artifacts.refetch()} />
      ) : artifacts.data.artifacts.length === 0 ? (
        <p className="muted">
          No artifacts. Record checkpoints or outputs with{' '}
          <code>run.artifact("checkpoint", "s3://…/ckpt.bin", "model", "final weights")</code>.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table table-compact" data-testid="artifacts-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">URI</th>
                <th scope="col">Description</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">SHA-256</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {artifacts.data.artifacts.map((a) => (
                <tr key={a.id}>
                  <td>{a.name}</td>
                  <td>{a.kind}</td>
                  <td className="break">
                    {/* Only http(s) URIs become links; anything else (javascript:, file paths) stays text. */}
                    {isHttpUrl(a.uri) ? (
                      <a href={a.uri} target="_blank" rel="noopener noreferrer">
                        {a.uri}
                      </a>
                    ) : (
                      <code>{a.uri}</code>
                    )}
                  </td>
                  <td>{a.description ?? ''}</td>
                  <td className="num">{formatBytes(a.sizeBytes)}</td>
                  <td>{a.sha256 ? <code title={a.sha256}>{a.sha256.slice(0, 12)}…</code> : '—'}</td>
                  <td>{formatDateTime(a.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
