import type { CsrfToken, ProblemDetail } from '@/types/api';

export const API_BASE = '/api/v1';
const CSRF_COOKIE = 'XSRF-TOKEN';
const CSRF_HEADER = 'X-XSRF-TOKEN';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** An error answered by the API, carrying its RFC 9457 problem details. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemDetail;

  constructor(problem: ProblemDetail) {
    super(problem.detail || problem.title || `Request failed with status ${problem.status}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }
}

type UnauthorizedListener = () => void;
let unauthorizedListener: UnauthorizedListener | null = null;

/** The app registers one listener that sends the user to the login page on any 401. */
export function onUnauthorized(listener: UnauthorizedListener | null): void {
  unauthorizedListener = listener;
}

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

/**
 * Spring Security keeps the CSRF token in a JS-readable cookie; when it is missing (first visit,
 * after logout) `GET /auth/csrf` sets it and also returns the token.
 */
async function csrfToken(forceRefresh = false): Promise<string | null> {
  if (!forceRefresh) {
    const fromCookie = readCookie(CSRF_COOKIE);
    if (fromCookie) return fromCookie;
  }
  const res = await fetch(`${API_BASE}/auth/csrf`, {
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  });
  if (!res.ok) return readCookie(CSRF_COOKIE);
  const body = (await res.json().catch(() => null)) as CsrfToken | null;
  // Prefer the cookie the response just set (the raw token); the body's token also validates.
  return readCookie(CSRF_COOKIE) ?? body?.token ?? null;
}

export type QueryValue = string | number | boolean | null | undefined | Array<string | number>;

/** Builds a query string, repeating array values (`filter=a&filter=b`) and skipping empty ones. */
export function toSearchParams(params: Record<string, QueryValue>): URLSearchParams {
  const sp = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      for (const v of value) if (v !== '') sp.append(name, String(v));
    } else {
      sp.append(name, String(value));
    }
  }
  return sp;
}

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  params?: Record<string, QueryValue>;
  signal?: AbortSignal;
};

async function toApiError(res: Response): Promise<ApiError> {
  let problem: ProblemDetail = { status: res.status, title: res.statusText || 'Request failed' };
  const text = await res.text().catch(() => '');
  if (text) {
    try {
      const parsed = JSON.parse(text) as Partial<ProblemDetail>;
      if (parsed && typeof parsed === 'object') {
        problem = {
          ...parsed,
          status: typeof parsed.status === 'number' ? parsed.status : res.status,
          title: parsed.title || problem.title,
        };
      }
    } catch {
      // Not JSON (e.g. a proxy's HTML error page): keep only the status line, never render the body.
    }
  }
  if (!problem.title) problem.title = `HTTP ${res.status}`;
  return new ApiError(problem);
}

/** Performs one API call with session cookies and CSRF; throws ApiError for non-2xx answers. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const qs = options.params ? toSearchParams(options.params).toString() : '';
  const url = `${API_BASE}${path}${qs ? `?${qs}` : ''}`;

  const send = async (forceCsrf: boolean): Promise<Response> => {
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (UNSAFE_METHODS.has(method)) {
      const token = await csrfToken(forceCsrf);
      if (token) headers[CSRF_HEADER] = token;
    }
    return fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      signal: options.signal,
    });
  };

  let res = await send(false);
  // A stale CSRF token (rotated at login/logout) answers 403; fetch a fresh one and retry once.
  // A real authorization 403 changed nothing on the server, so the retry is harmless.
  if (res.status === 403 && UNSAFE_METHODS.has(method)) {
    res = await send(true);
  }
  if (res.status === 401) {
    const error = await toApiError(res);
    unauthorizedListener?.();
    throw error;
  }
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, params?: Record<string, QueryValue>, signal?: AbortSignal) =>
    apiRequest<T>(path, { params, signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'POST', body }),
  put: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'PATCH', body }),
  delete: <T = void>(path: string) => apiRequest<T>(path, { method: 'DELETE' }),
};

/** Path segment encoding for user-chosen identifiers (slugs, usernames). */
export const seg = (value: string) => encodeURIComponent(value);
