import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { LoginForm } from '@/features/auth/components/login-form';
import { mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/test-utils';

describe('LoginForm', () => {
  it('posts the credentials with the CSRF header and reports the signed-in user', async () => {
    document.cookie = 'XSRF-TOKEN=token-123; path=/';
    const api = mockFetch([{ method: 'POST', path: '/auth/login', body: { username: 'alice', admin: false } }]);
    const onSuccess = vi.fn();
    renderWithProviders(<LoginForm onSuccess={onSuccess} />);

    await userEvent.type(screen.getByLabelText('Username'), 'alice');
    await userEvent.type(screen.getByLabelText('Password'), 's3cret!');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith({ username: 'alice', admin: false }));
    const [call] = api.callsTo('POST', '/auth/login');
    expect(call.body).toEqual({ username: 'alice', password: 's3cret!' });
    expect(call.headers['x-xsrf-token']).toBe('token-123');
    expect(call.headers['content-type']).toBe('application/json');
  });

  it('fetches a CSRF token first when the cookie is missing', async () => {
    const api = mockFetch([
      { path: '/auth/csrf', body: { headerName: 'X-XSRF-TOKEN', token: 'fresh-token' } },
      { method: 'POST', path: '/auth/login', body: { username: 'bob', admin: true } },
    ]);
    const onSuccess = vi.fn();
    renderWithProviders(<LoginForm onSuccess={onSuccess} />);

    await userEvent.type(screen.getByLabelText('Username'), 'bob');
    await userEvent.type(screen.getByLabelText('Password'), 'pw');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    await waitFor(() => expect(onSuccess).toHaveBeenCalled());
    expect(api.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /auth/csrf', 'POST /auth/login']);
    expect(api.callsTo('POST', '/auth/login')[0].headers['x-xsrf-token']).toBe('fresh-token');
  });

  it('shows the problem detail of rejected credentials and stays on the form', async () => {
    document.cookie = 'XSRF-TOKEN=t; path=/';
    mockFetch([
      {
        method: 'POST',
        path: '/auth/login',
        status: 401,
        body: { status: 401, title: 'Unauthorized', detail: 'Bad username or password' },
      },
    ]);
    const onSuccess = vi.fn();
    renderWithProviders(<LoginForm onSuccess={onSuccess} />);

    await userEvent.type(screen.getByLabelText('Username'), 'alice');
    await userEvent.type(screen.getByLabelText('Password'), 'wrong');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Unauthorized');
    expect(alert).toHaveTextContent('Bad username or password');
    expect(onSuccess).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Username')).toHaveValue('alice');
  });
});
