import { describe, expect, it, vi } from 'vitest';
import { apiRequest, onUnauthorized, toSearchParams } from '@/lib/api-client';
import { mockFetch } from '@/testing/mock-fetch';

describe('api client', () => {
  it('sends cookies same-origin and no CSRF header on reads', async () => {
    const api = mockFetch([{ path: '/projects', body: { projects: [] } }]);
    await apiRequest('/projects');
    expect(api.fn.mock.calls[0][1]).toMatchObject({ credentials: 'same-origin' });
    expect(api.calls[0].headers['x-xsrf-token']).toBeUndefined();
  });

  it('calls the unauthorized listener on a 401 so the app can go to the login page', async () => {
    mockFetch([{ path: '/me', status: 401, body: { status: 401, title: 'Unauthorized', detail: 'Log in first' } }]);
    const listener = vi.fn();
    onUnauthorized(listener);
    await expect(apiRequest('/me')).rejects.toMatchObject({ status: 401 });
    expect(listener).toHaveBeenCalledTimes(1);
    onUnauthorized(null);
  });

  it('refreshes a stale CSRF token once when a change is refused with 403', async () => {
    document.cookie = 'XSRF-TOKEN=stale; path=/';
    let attempts = 0;
    const api = mockFetch([
      {
        path: '/auth/csrf',
        respond: () => (
          (document.cookie = 'XSRF-TOKEN=fresh; path=/'),
          { body: { headerName: 'X-XSRF-TOKEN', token: 'fresh' } }
        ),
      },
      {
        method: 'DELETE',
        path: '/projects/p/runs/r',
        respond: () =>
          ++attempts === 1 ? { status: 403, body: { status: 403, title: 'Forbidden' } } : { status: 204 },
      },
    ]);
    await apiRequest('/projects/p/runs/r', { method: 'DELETE' });
    const deletes = api.callsTo('DELETE', '/projects/p/runs/r');
    expect(deletes.map((c) => c.headers['x-xsrf-token'])).toEqual(['stale', 'fresh']);
  });

  it('repeats array query parameters and skips empty ones', () => {
    expect(toSearchParams({ filter: ['a = 1', 'b > 2'], q: '', status: undefined, limit: 50 }).toString()).toBe(
      'filter=a+%3D+1&filter=b+%3E+2&limit=50',
    );
  });
});
