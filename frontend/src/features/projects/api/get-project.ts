import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import type { Project } from '@/types/api';

export const getProject = (slug: string, signal?: AbortSignal) =>
  api.get<Project>(`/projects/${seg(slug)}`, undefined, signal);

export const getProjectQueryOptions = (slug: string) =>
  queryOptions({ queryKey: ['projects', slug], queryFn: ({ signal }) => getProject(slug, signal) });

export const useProject = (slug: string) => useQuery(getProjectQueryOptions(slug));
