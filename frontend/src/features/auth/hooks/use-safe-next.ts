import { useSearchParams } from 'react-router';

/** The `next` parameter of the login page, accepted only as a same-site path (no open redirect). */
export function useSafeNext(): string {
  const [params] = useSearchParams();
  const next = params.get('next');
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/login')) {
    return '/';
  }
  return next;
}
