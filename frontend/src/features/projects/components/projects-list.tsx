import { Link } from 'react-router';
import { EmptyState } from '@/components/empty-state';
import { ErrorMessage } from '@/components/error-message';
import { Spinner } from '@/components/spinner';
import { useProjects } from '@/features/projects/api/get-projects';
import { formatDateTime } from '@/lib/format';

export function ProjectsList() {
  const projects = useProjects();
  if (projects.isPending) return <Spinner label="Loading projects…" />;
  if (projects.isError) return <ErrorMessage error={projects.error} onRetry={() => void projects.refetch()} />;
  const list = projects.data.projects;
  if (list.length === 0) {
    return (
      <EmptyState title="No projects yet" testId="projects-empty">
        <p>Create your first project with the form on this page, then mint an API key in its settings to log runs.</p>
      </EmptyState>
    );
  }
  return (
    <table className="table" data-testid="projects-table">
      <caption className="sr-only">Projects you can see</caption>
      <thead>
        <tr>
          <th scope="col">Project</th>
          <th scope="col">Slug</th>
          <th scope="col">Your role</th>
          <th scope="col" className="num">
            Runs
          </th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {list.map((p) => (
          <tr key={p.slug} data-testid={`project-row-${p.slug}`}>
            <td>
              <Link to={`/projects/${encodeURIComponent(p.slug)}`}>{p.name}</Link>
              {p.description && <div className="muted">{p.description}</div>}
            </td>
            <td>
              <code>{p.slug}</code>
            </td>
            <td>{p.role ?? 'admin'}</td>
            <td className="num">{p.runCount}</td>
            <td>{formatDateTime(p.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
