import { useEffect, useState } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { createAppRouter } from '@/app/router';
import { ErrorBoundary } from '@/components/error-boundary';
import { onUnauthorized } from '@/lib/api-client';
import { createQueryClient } from '@/lib/query-client';

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(createAppRouter);

  useEffect(() => {
    // Any 401 (session expired, logged out in another tab): forget cached data and go to login.
    onUnauthorized(() => {
      const { pathname, search } = router.state.location;
      if (pathname === '/login') return;
      queryClient.clear();
      router.navigate(`/login?next=${encodeURIComponent(pathname + search)}`, { replace: true });
    });
    return () => onUnauthorized(null);
  }, [queryClient, router]);

  return (
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </ErrorBoundary>
  );
}
