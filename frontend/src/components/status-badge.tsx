import type { RunStatus } from '@/types/api';

export function StatusBadge({ status }: { status: RunStatus }) {
  return (
    <span className={`badge badge-${status.toLowerCase()}`} data-testid="run-status">
      {status === 'RUNNING' && <span className="pulse" aria-hidden="true" />}
      {status}
    </span>
  );
}
