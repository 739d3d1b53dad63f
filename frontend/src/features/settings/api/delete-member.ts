import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';

export const deleteMember = (slug: string, username: string) =>
  api.delete(`/projects/${seg(slug)}/members/${seg(username)}`);

export const useDeleteMember = (slug: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (username: string) => deleteMember(slug, username),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['projects', slug, 'members'] }),
  });
};
