import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '@/lib/api-client';
import type { Member, ProjectRole, PutMemberRequest } from '@/types/api';

export const putMember = (slug: string, username: string, role: ProjectRole) =>
  api.put<Member>(`/projects/${seg(slug)}/members/${seg(username)}`, { role } satisfies PutMemberRequest);

/** Adds a member or changes their role. */
export const usePutMember = (slug: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ username, role }: { username: string; role: ProjectRole }) => putMember(slug, username, role),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['projects', slug, 'members'] }),
  });
};
