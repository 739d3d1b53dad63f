import { useNavigate } from 'react-router';
import { CreateProjectForm } from '@/features/projects/components/create-project-form';
import { ProjectsList } from '@/features/projects/components/projects-list';

export function ProjectsPage() {
  const navigate = useNavigate();
  return (
    <div className="projects-page">
      <section aria-labelledby="projects-title">
        <h1 id="projects-title">Projects</h1>
        <ProjectsList />
      </section>
      <aside>
        <CreateProjectForm onCreated={(p) => void navigate(`/projects/${encodeURIComponent(p.slug)}`)} />
      </aside>
    </div>
  );
}
