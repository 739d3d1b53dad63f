import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { ErrorBoundary } from '@/components/error-boundary';
import { useMe } from '@/features/auth/api/get-me';
import { useLogout } from '@/features/auth/api/logout';
import { RequireAuth } from '@/features/auth/components/require-auth';

function UserMenu() {
  const me = useMe();
  const navigate = useNavigate();
  const logout = useLogout({ onSuccess: () => void navigate('/login', { replace: true }) });
  if (!me.data) return null;
  const name = 'username' in me.data ? me.data.username : `API key (${me.data.apiKey.project})`;
  return (
    <div className="user-menu">
      <span data-testid="current-user">
        {name}
        {'admin' in me.data && me.data.admin && <span className="badge badge-admin">admin</span>}
      </span>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => logout.mutate()}
        disabled={logout.isPending}
        data-testid="logout"
      >
        Sign out
      </button>
    </div>
  );
}

export function AppLayout() {
  const location = useLocation();
  return (
    <RequireAuth>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          Stepwise
        </Link>
        <nav aria-label="Main">
          <Link to="/">Projects</Link>
        </nav>
        <UserMenu />
      </header>
      <main id="main" className="page">
        <ErrorBoundary resetKey={location.pathname}>
          <Outlet />
        </ErrorBoundary>
      </main>
    </RequireAuth>
  );
}
