import type { QueryClient } from '@tanstack/react-query';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { appLoader, projectLoader, runLoader } from '@/app/loaders';
import { AppLayout } from '@/app/routes/app-layout';
import { ComparePage } from '@/app/routes/compare';
import { LoginPage } from '@/app/routes/login';
import { NotFoundPage } from '@/app/routes/not-found';
import { ProjectLayout } from '@/app/routes/project-layout';
import { ProjectsPage } from '@/app/routes/projects';
import { RouteError } from '@/app/routes/route-error';
import { RunPage } from '@/app/routes/run';
import { RunsPage } from '@/app/routes/runs';
import { SettingsPage } from '@/app/routes/settings';

export const createRoutes = (queryClient: QueryClient): RouteObject[] => [
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  {
    path: '/',
    element: <AppLayout />,
    loader: appLoader(queryClient),
    errorElement: <RouteError />,
    children: [
      { index: true, element: <ProjectsPage /> },
      {
        path: 'projects/:slug',
        element: <ProjectLayout />,
        loader: projectLoader(queryClient),
        errorElement: <RouteError />,
        children: [
          { index: true, element: <RunsPage /> },
          { path: 'runs/:runId', element: <RunPage />, loader: runLoader(queryClient) },
          { path: 'compare', element: <ComparePage /> },
          { path: 'settings', element: <SettingsPage /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export const createAppRouter = (queryClient: QueryClient) => createBrowserRouter(createRoutes(queryClient));
