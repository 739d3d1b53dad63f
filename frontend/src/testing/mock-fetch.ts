import { vi } from 'vitest';

export type MockRoute = {
  method?: string;
  /** Path below /api/v1 (query string ignored), or a pattern matched against it. */
  path: string | RegExp;
  status?: number;
  body?: unknown;
  /** Compute the answer from the request instead of a fixed body. */
  respond?: (call: RecordedCall) => { status?: number; body?: unknown };
};

export type RecordedCall = {
  method: string;
  url: URL;
  path: string;
  headers: Record<string, string>;
  body: unknown;
};

const jsonResponse = (status: number, body: unknown) =>
  new Response(status === 204 || body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });

/**
 * Replaces global fetch with a tiny router over /api/v1 paths. Unmatched requests answer a 404
 * problem so a test sees a readable failure. Returns the recorded calls.
 */
export function mockFetch(routes: MockRoute[]) {
  const calls: RecordedCall[] = [];
  const answer = (input: RequestInfo | URL, init?: RequestInit): Response => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      'http://localhost',
    );
    const method = (init?.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const call: RecordedCall = { method, url, path, headers, body };
    calls.push(call);
    const route = routes.find(
      (r) =>
        (r.method ?? 'GET').toUpperCase() === method &&
        (typeof r.path === 'string' ? r.path === path : r.path.test(path)),
    );
    if (!route) return jsonResponse(404, { status: 404, title: 'Not Found', detail: `No mock for ${method} ${path}` });
    if (route.respond) {
      const answer = route.respond(call);
      return jsonResponse(answer.status ?? 200, answer.body);
    }
    return jsonResponse(route.status ?? 200, route.body);
  };
  const fn = vi.fn((input: RequestInfo | URL, init?: RequestInit) => Promise.resolve(answer(input, init)));
  vi.stubGlobal('fetch', fn);
  return {
    calls,
    fn,
    callsTo: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path),
  };
}
