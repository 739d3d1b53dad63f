import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import type { ApiKeyList } from '@/types/api';

export const getApiKeys = (slug: string, signal?: AbortSignal) =>
  api.get<ApiKeyList>(`/projects/${seg(slug)}/api-keys`, undefined, signal);

export const getApiKeysQueryOptions = (slug: string) =>
  queryOptions({ queryKey: ['projects', slug, 'api-keys'], queryFn: ({ signal }) => getApiKeys(slug, signal) });

export const useApiKeys = (slug: string) => useQuery(getApiKeysQueryOptions(slug));
