import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';

export const deleteRun = ({ slug, runId }: { slug: string; runId: string }) =>
  api.delete(`/projects/${seg(slug)}/runs/${seg(runId)}`);

export const useDeleteRun = (slug: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) => deleteRun({ slug, runId }),
    onSuccess: (_, runId) => {
      queryClient.removeQueries({ queryKey: ['projects', slug, 'runs', 'detail', runId] });
      void queryClient.invalidateQueries({ queryKey: ['projects', slug, 'runs', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['projects'], exact: true });
    },
  });
};
