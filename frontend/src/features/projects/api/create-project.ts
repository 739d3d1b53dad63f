import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { CreateProjectRequest, Project } from '@/types/api';

export const createProject = (body: CreateProjectRequest) => api.post<Project>('/projects', body);

export const useCreateProject = ({ onSuccess }: { onSuccess?: (project: Project) => void } = {}) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createProject,
    onSuccess: (project) => {
      void queryClient.invalidateQueries({ queryKey: ['projects'] });
      onSuccess?.(project);
    },
  });
};
