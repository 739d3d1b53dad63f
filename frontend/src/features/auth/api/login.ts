import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { LoginRequest, UserPrincipal } from '@/types/api';
import { meQueryKey } from '@/features/auth/api/get-me';

export const login = (body: LoginRequest) => api.post<UserPrincipal>('/auth/login', body);

export const useLogin = ({ onSuccess }: { onSuccess?: (user: UserPrincipal) => void } = {}) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (user) => {
      // A different user may log in on this tab: drop everything cached for the previous one.
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, user);
      onSuccess?.(user);
    },
  });
};
