import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '@/components/error-message';
import { Spinner } from '@/components/spinner';
import { useDeleteMember } from '@/features/settings/api/delete-member';
import { useMembers } from '@/features/settings/api/get-members';
import { usePutMember } from '@/features/settings/api/put-member';
import type { ProjectRole } from '@/types/api';
import { ConfirmAction } from '@/components/confirm-action';

const ROLES: ProjectRole[] = ['OWNER', 'WRITER', 'READER'];
const ROLE_HELP: Record<ProjectRole, string> = {
  OWNER: 'everything, incl. members and API keys',
  WRITER: 'create and change runs, log data',
  READER: 'read only',
};

export function MembersPanel({ slug, canManage }: { slug: string; canManage: boolean }) {
  const members = useMembers(slug);
  const putMember = usePutMember(slug);
  const deleteMember = useDeleteMember(slug);
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<ProjectRole>('READER');
  const ids = useId();

  const add = (e: FormEvent) => {
    e.preventDefault();
    putMember.mutate({ username: username.trim(), role }, { onSuccess: () => setUsername('') });
  };

  return (
    <section className="card" aria-labelledby={`${ids}-title`} data-testid="members-panel">
      <h2 id={`${ids}-title`} className="card-title">
        Members
      </h2>
      <ul className="muted small role-help">
        {ROLES.map((r) => (
          <li key={r}>
            <strong>{r}</strong>: {ROLE_HELP[r]}
          </li>
        ))}
      </ul>
      {(putMember.isError || deleteMember.isError) && <ErrorMessage error={putMember.error ?? deleteMember.error} />}
      {members.isPending ? (
        <Spinner label="Loading members…" />
      ) : members.isError ? (
        <ErrorMessage error={members.error} onRetry={() => void members.refetch()} />
      ) : (
        <table className="table table-compact" data-testid="members-table">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.data.members.map((m) => (
              <tr key={m.username} data-testid="member-row" data-username={m.username}>
                <td>{m.username}</td>
                <td>
                  {canManage ? (
                    <select
                      aria-label={`Role of ${m.username}`}
                      value={m.role}
                      disabled={putMember.isPending}
                      onChange={(e) => putMember.mutate({ username: m.username, role: e.target.value as ProjectRole })}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  ) : (
                    m.role
                  )}
                </td>
                <td className="actions">
                  {canManage && (
                    <ConfirmAction
                      label="Remove"
                      ariaLabel={`Remove member ${m.username}`}
                      question={`Remove ${m.username}?`}
                      onConfirm={() => deleteMember.mutate(m.username)}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canManage && (
        <form className="form-inline" onSubmit={add} aria-label="Add a member">
          <div className="field">
            <label htmlFor={`${ids}-user`}>Username</label>
            <input
              id={`${ids}-user`}
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              data-testid="member-username"
            />
          </div>
          <div className="field">
            <label htmlFor={`${ids}-role`}>Role</label>
            <select
              id={`${ids}-role`}
              value={role}
              onChange={(e) => setRole(e.target.value as ProjectRole)}
              data-testid="member-role"
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn btn-primary" disabled={putMember.isPending} data-testid="member-add">
            Add member
          </button>
        </form>
      )}
    </section>
  );
}
