import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '@/components/error-message';
import { useLogin } from '@/features/auth/api/login';
import type { UserPrincipal } from '@/types/api';

type LoginFormProps = { onSuccess: (user: UserPrincipal) => void };

export function LoginForm({ onSuccess }: LoginFormProps) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const loginMutation = useLogin({ onSuccess });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    loginMutation.mutate({ username: username.trim(), password });
  };

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="login-title" data-testid="login-form">
      <h1 id="login-title">Sign in to Stepwise</h1>
      <label htmlFor="login-username">Username</label>
      <input
        id="login-username"
        name="username"
        autoComplete="username"
        required
        value={username}
        onChange={(e) => setUsername(e.target.value)}
      />
      <label htmlFor="login-password">Password</label>
      <input
        id="login-password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {loginMutation.isError && <ErrorMessage error={loginMutation.error} />}
      <button type="submit" className="btn btn-primary" disabled={loginMutation.isPending} data-testid="login-submit">
        {loginMutation.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
