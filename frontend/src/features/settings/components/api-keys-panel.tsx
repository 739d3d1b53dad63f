import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '@/components/error-message';
import { Spinner } from '@/components/spinner';
import { useCreateApiKey } from '@/features/settings/api/create-api-key';
import { useApiKeys } from '@/features/settings/api/get-api-keys';
import { useRevokeApiKey } from '@/features/settings/api/revoke-api-key';
import { ApiKeyReveal } from '@/features/settings/components/api-key-reveal';
import { formatDateTime } from '@/lib/format';
import type { ApiKeyScope, CreatedApiKey } from '@/types/api';
import { ConfirmAction } from '@/components/confirm-action';

/** A date input gives `YYYY-MM-DD`; the key stays valid through the end of that day (UTC). */
const endOfDayUtc = (date: string) => (date ? new Date(`${date}T23:59:59Z`).toISOString() : undefined);

export function ApiKeysPanel({ slug }: { slug: string }) {
  const keys = useApiKeys(slug);
  const createKey = useCreateApiKey(slug);
  const revokeKey = useRevokeApiKey(slug);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ApiKeyScope>('write');
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  // Expiry is shown relative to when the panel opened (rendering stays pure); the server judges keys itself.
  const [now] = useState(Date.now);
  const ids = useId();

  const create = (e: FormEvent) => {
    e.preventDefault();
    createKey.mutate(
      { name: name.trim(), scope, expiresAt: endOfDayUtc(expires) },
      {
        onSuccess: (key) => {
          setCreated(key);
          setName('');
          setExpires('');
        },
      },
    );
  };

  return (
    <section className="card" aria-labelledby={`${ids}-title`} data-testid="api-keys-panel">
      <h2 id={`${ids}-title`} className="card-title">
        API keys
      </h2>
      <p className="muted small">
        Trainers authenticate with a project key: <code>Authorization: Bearer &lt;key&gt;</code>. A{' '}
        <strong>write</strong> key can create runs and log metrics; a <strong>read</strong> key can only read.
      </p>
      {created && (
        <ApiKeyReveal
          created={created}
          onDone={() => {
            setCreated(null);
            createKey.reset();
          }}
        />
      )}
      <form className="form-inline" onSubmit={create} aria-label="Create an API key">
        <div className="field">
          <label htmlFor={`${ids}-name`}>Key name</label>
          <input
            id={`${ids}-name`}
            required
            maxLength={100}
            placeholder="e.g. gpu-box-1"
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="api-key-name"
          />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-scope`}>Scope</label>
          <select
            id={`${ids}-scope`}
            value={scope}
            onChange={(e) => setScope(e.target.value as ApiKeyScope)}
            data-testid="api-key-scope"
          >
            <option value="write">write</option>
            <option value="read">read</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-expires`}>Expires (optional)</label>
          <input id={`${ids}-expires`} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
        </div>
        <button type="submit" className="btn btn-primary" disabled={createKey.isPending} data-testid="api-key-create">
          {createKey.isPending ? 'Creating…' : 'Create key'}
        </button>
      </form>
      {createKey.isError && <ErrorMessage error={createKey.error} />}
      {revokeKey.isError && <ErrorMessage error={revokeKey.error} />}
      {keys.isPending ? (
        <Spinner label="Loading API keys…" />
      ) : keys.isError ? (
        <ErrorMessage error={keys.error} onRetry={() => void keys.refetch()} />
      ) : keys.data.apiKeys.length === 0 ? (
        <p className="muted" data-testid="api-keys-empty">
          No keys yet. Create a write key above and pass it to <code>Stepwise.builder().apiKey(...)</code>.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table table-compact" data-testid="api-keys-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scope</th>
                <th scope="col">Prefix</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.apiKeys.map((k) => (
                <tr
                  key={k.id}
                  data-testid="api-key-row"
                  data-key-id={k.id}
                  className={k.revoked ? 'row-muted' : undefined}
                >
                  <td>{k.name}</td>
                  <td>{k.scope}</td>
                  <td>
                    <code>{k.prefix}…</code>
                  </td>
                  <td>{formatDateTime(k.createdAt)}</td>
                  <td>{k.expiresAt ? formatDateTime(k.expiresAt) : 'never'}</td>
                  <td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'never'}</td>
                  <td>
                    {k.revoked
                      ? 'revoked'
                      : k.expiresAt && new Date(k.expiresAt).getTime() < now
                        ? 'expired'
                        : 'active'}
                  </td>
                  <td className="actions">
                    {!k.revoked && (
                      <ConfirmAction
                        label="Revoke"
                        ariaLabel={`Revoke key ${k.name}`}
                        question="Revoke? Trainers using it stop working."
                        onConfirm={() => revokeKey.mutate(k.id)}
                        testId="api-key-revoke"
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
