import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider, useLocation } from 'react-router';
import { describe, expect, it } from 'vitest';
import { RequireAuth } from '@/features/auth/components/require-auth';
import { useSafeNext } from '@/features/auth/hooks/use-safe-next';
import { mockFetch } from '@/testing/mock-fetch';
import { createTestQueryClient } from '@/testing/test-utils';

function LoginProbe() {
  const next = useSafeNext();
  const location = useLocation();
  return (
    <div data-testid="login">
      {location.pathname}
      {location.search} next={next}
    </div>
  );
}

function renderAt(url: string) {
  const router = createMemoryRouter(
    [
      { path: '/login', element: <LoginProbe /> },
      {
        path: '*',
        element: (
          <RequireAuth>
            <div data-testid="secret">secret page</div>
          </RequireAuth>
        ),
      },
    ],
    { initialEntries: [url] },
  );
  render(
    <QueryClientProvider client={createTestQueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

describe('RequireAuth', () => {
  it('sends a visitor without a session to the login page and remembers where they were going', async () => {
    mockFetch([{ path: '/me', status: 401, body: { status: 401, title: 'Unauthorized' } }]);
    renderAt('/projects/vision/runs/r1?x=1');
    const login = await screen.findByTestId('login');
    expect(login).toHaveTextContent('/login?next=%2Fprojects%2Fvision%2Fruns%2Fr1%3Fx%3D1');
    expect(login).toHaveTextContent('next=/projects/vision/runs/r1?x=1');
    expect(screen.queryByTestId('secret')).toBeNull();
  });

  it('shows the page to a signed-in user', async () => {
    mockFetch([{ path: '/me', body: { username: 'alice', admin: false } }]);
    renderAt('/projects');
    expect(await screen.findByTestId('secret')).toBeInTheDocument();
  });

  it('ignores a login "next" that points to another site', () => {
    mockFetch([]);
    for (const evil of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
      const router = createMemoryRouter([{ path: '/login', element: <LoginProbe /> }], {
        initialEntries: [`/login?next=${encodeURIComponent(evil)}`],
      });
      const { unmount } = render(<RouterProvider router={router} />);
      expect(screen.getByTestId('login')).toHaveTextContent('next=/');
      expect(screen.getByTestId('login')).not.toHaveTextContent('next=/evil');
      unmount();
    }
  });
});
