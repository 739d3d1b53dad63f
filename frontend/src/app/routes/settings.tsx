import { useProjectContext } from '@/app/routes/project-layout';
import { ErrorBoundary } from '@/components/error-boundary';
import { ApiKeysPanel } from '@/features/settings/components/api-keys-panel';
import { MembersPanel } from '@/features/settings/components/members-panel';

export function SettingsPage() {
  const { project, canManage } = useProjectContext();
  return (
    <div className="settings-page" data-testid="settings-page">
      <ErrorBoundary>
        <MembersPanel slug={project.slug} canManage={canManage} />
      </ErrorBoundary>
      <ErrorBoundary>
        {canManage ? (
          <ApiKeysPanel slug={project.slug} />
        ) : (
          <section className="card">
            <h2 className="card-title">API keys</h2>
            <p className="muted">Only project owners can create and revoke API keys. Ask an owner for a key.</p>
          </section>
        )}
      </ErrorBoundary>
    </div>
  );
}
