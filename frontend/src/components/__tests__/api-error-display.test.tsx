import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ErrorBoundary } from '@/components/error-boundary';
import { ErrorMessage } from '@/components/error-message';
import { ApiError, apiRequest } from '@/lib/api-client';
import { mockFetch } from '@/testing/mock-fetch';

describe('API error display', () => {
  it('shows the title, detail and field errors of a problem+json answer', async () => {
    document.cookie = 'XSRF-TOKEN=t; path=/';
    mockFetch([
      {
        method: 'POST',
        path: '/projects',
        status: 400,
        body: {
          status: 400,
          title: 'Invalid request',
          detail: 'The project could not be created',
          errors: [{ field: 'slug', message: 'must match ^[a-z0-9][a-z0-9-]{1,62}$' }],
        },
      },
    ]);
    const error = await apiRequest('/projects', { method: 'POST', body: { slug: 'Bad Slug' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    render(<ErrorMessage error={error} />);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Invalid request');
    expect(alert).toHaveTextContent('The project could not be created');
    expect(alert).toHaveTextContent('slug: must match ^[a-z0-9][a-z0-9-]{1,62}$');
  });

  it('keeps only the status line when the body is not problem JSON', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() =>
        Promise.resolve(new Response('<html><h1>Bad gateway</h1></html>', { status: 502, statusText: 'Bad Gateway' })),
      ),
    );
    const error = await apiRequest('/projects').catch((e: unknown) => e);
    render(<ErrorMessage error={error} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Bad Gateway');
    expect(document.querySelector('h1')).toBeNull();
  });

  it('explains a network failure', () => {
    render(<ErrorMessage error={new TypeError('Failed to fetch')} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Cannot reach the Stepwise server');
  });

  it('replaces a crashed component with a readable message instead of a blank page', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const Broken = () => {
      throw new Error('chart exploded');
    };
    render(
      <ErrorBoundary>
        <Broken />
      </ErrorBoundary>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('chart exploded');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
