import { createBrowserRouter, type RouteObject } from 'react-router';
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

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  {
    path: '/',
    element: <AppLayout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <ProjectsPage /> },
      {
        path: 'projects/:slug',
        element: <ProjectLayout />,
        errorElement: <RouteError />,
        children: [
          { index: true, element: <RunsPage /> },
          { path: 'runs/:runId', element: <RunPage /> },
          { path: 'compare', element: <ComparePage /> },
          { path: 'settings', element: <SettingsPage /> },
        ],
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export const createAppRouter = () => createBrowserRouter(routes);
