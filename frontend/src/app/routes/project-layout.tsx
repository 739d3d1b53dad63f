import { NavLink, Outlet, useOutletContext, useParams } from 'react-router';
import { ErrorMessage } from '@/components/error-message';
import { Spinner } from '@/components/spinner';
import { useMe } from '@/features/auth/api/get-me';
import { useProject } from '@/features/projects/api/get-project';
import type { Project } from '@/types/api';

export type ProjectContext = { project: Project; canWrite: boolean; canManage: boolean };

export const useProjectContext = () => useOutletContext<ProjectContext>();

export function ProjectLayout() {
  const { slug = '' } = useParams();
  const project = useProject(slug);
  const me = useMe();
  if (project.isPending) return <Spinner label="Loading project…" />;
  if (project.isError) return <ErrorMessage error={project.error} onRetry={() => void project.refetch()} />;

  const admin = !!me.data && 'admin' in me.data && me.data.admin;
  const role = project.data.role;
  const context: ProjectContext = {
    project: project.data,
    canWrite: admin || role === 'OWNER' || role === 'WRITER',
    canManage: admin || role === 'OWNER',
  };
  const base = `/projects/${encodeURIComponent(slug)}`;
  return (
    <>
      <div className="project-header">
        <div>
          <h1 data-testid="project-name">{project.data.name}</h1>
          {project.data.description && <p className="muted">{project.data.description}</p>}
        </div>
        <nav className="tabs" aria-label="Project">
          <NavLink to={base} end>
            Runs
          </NavLink>
          <NavLink to={`${base}/settings`}>Settings</NavLink>
        </nav>
      </div>
      <Outlet context={context} />
    </>
  );
}
