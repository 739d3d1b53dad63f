import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';

export const revokeApiKey = (slug: string, id: string) => api.delete(`/projects/${seg(slug)}/api-keys/${seg(id)}`);

export const useRevokeApiKey = (slug: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => revokeApiKey(slug, id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['projects', slug, 'api-keys'] }),
  });
};
