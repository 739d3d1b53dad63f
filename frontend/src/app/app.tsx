import { useState } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { createAppRouter } from '@/app/router';
import { ErrorBoundary } from '@/components/error-boundary';
import { onUnauthorized } from '@/lib/api-client';
import { createQueryClient } from '@/lib/query-client';

function createApp() {
  const queryClient = createQueryClient();
  const router = createAppRouter(queryClient);
  // Any 401 (session expired, signed out in another tab): forget cached data and go to login.
  // Registered before the first route loader fetches anything.
  onUnauthorized(() => {
    const { pathname, search } = router.state.location;
    if (pathname === '/login') return;
    queryClient.clear();
    void router.navigate(`/login?next=${encodeURIComponent(pathname + search)}`, { replace: true });
  });
  return { queryClient, router };
}

export function App() {
  const [{ queryClient, router }] = useState(createApp);
  return (
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </ErrorBoundary>
  );
}
