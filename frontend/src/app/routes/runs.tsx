import { useProjectContext } from '@/app/routes/project-layout';
import { RunsView } from '@/features/runs/components/runs-view';

export function RunsPage() {
  const { project, canWrite } = useProjectContext();
  return <RunsView slug={project.slug} canWrite={canWrite} />;
}
