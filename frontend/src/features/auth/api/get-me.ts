import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Me } from '@/types/api';

export const getMe = (signal?: AbortSignal) => api.get<Me>('/me', undefined, signal);

export const meQueryKey = ['me'] as const;

export const getMeQueryOptions = () =>
  queryOptions({ queryKey: meQueryKey, queryFn: ({ signal }) => getMe(signal), staleTime: 60_000, retry: false });

export const useMe = () => useQuery(getMeQueryOptions());
