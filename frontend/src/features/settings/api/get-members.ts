import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import type { MemberList } from '@/types/api';

export const getMembers = (slug: string, signal?: AbortSignal) =>
  api.get<MemberList>(`/projects/${seg(slug)}/members`, undefined, signal);

export const getMembersQueryOptions = (slug: string) =>
  queryOptions({ queryKey: ['projects', slug, 'members'], queryFn: ({ signal }) => getMembers(slug, signal) });

export const useMembers = (slug: string) => useQuery(getMembersQueryOptions(slug));
