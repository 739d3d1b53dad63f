import { Navigate, useNavigate } from 'react-router';
import { useMe } from '@/features/auth/api/get-me';
import { LoginForm } from '@/features/auth/components/login-form';
import { useSafeNext } from '@/features/auth/hooks/use-safe-next';

export function LoginPage() {
  const navigate = useNavigate();
  const next = useSafeNext();
  const me = useMe();
  if (me.isSuccess && 'username' in me.data) return <Navigate to={next} replace />;
  return (
    <main className="login-page">
      <div className="brand brand-large" aria-hidden="true">
        Stepwise
      </div>
      <LoginForm onSuccess={() => void navigate(next, { replace: true })} />
    </main>
  );
}
