import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { ProjectList } from '@/types/api';

export const getProjects = (signal?: AbortSignal) => api.get<ProjectList>('/projects', undefined, signal);

export const getProjectsQueryOptions = () =>
  queryOptions({ queryKey: ['projects'], queryFn: ({ signal }) => getProjects(signal) });

export const useProjects = () => useQuery(getProjectsQueryOptions());
