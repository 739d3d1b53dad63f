import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import type { CreateApiKeyRequest, CreatedApiKey } from '@/types/api';

export const createApiKey = (slug: string, body: CreateApiKeyRequest) =>
  api.post<CreatedApiKey>(`/projects/${seg(slug)}/api-keys`, body);

/** The secret `key` of the answer is only handed to the caller, never put in the query cache. */
export const useCreateApiKey = (slug: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateApiKeyRequest) => createApiKey(slug, body),
    gcTime: 0,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['projects', slug, 'api-keys'] }),
  });
};
