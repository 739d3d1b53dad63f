import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiKeysPanel } from '@/features/settings/components/api-keys-panel';
import { mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/test-utils';

const SECRET = 'sw_live_abcdef0123456789secret';

describe('API keys', () => {
  it('shows a new key once with a copy button, then never again', async () => {
    document.cookie = 'XSRF-TOKEN=t; path=/';
    const keys = [
      {
        id: 'k0',
        name: 'old',
        scope: 'read',
        prefix: 'sw_old',
        createdAt: '2026-11-01T00:00:00Z',
        expiresAt: null,
        lastUsedAt: null,
        revoked: false,
      },
    ];
    const api = mockFetch([
      { path: '/projects/vision/api-keys', respond: () => ({ body: { apiKeys: keys } }) },
      {
        method: 'POST',
        path: '/projects/vision/api-keys',
        respond: (call) => {
          const body = call.body as { name: string; scope: 'read' | 'write' };
          keys.push({
            id: 'k1',
            name: body.name,
            scope: body.scope,
            prefix: 'sw_live_ab',
            createdAt: '2026-11-23T00:00:00Z',
            expiresAt: null,
            lastUsedAt: null,
            revoked: false,
          });
          return {
            status: 201,
            body: {
              id: 'k1',
              name: body.name,
              scope: body.scope,
              prefix: 'sw_live_ab',
              key: SECRET,
              createdAt: '2026-11-23T00:00:00Z',
              expiresAt: null,
            },
          };
        },
      },
    ]);
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });

    renderWithProviders(<ApiKeysPanel slug="vision" />);
    await screen.findByText('old');
    await userEvent.type(screen.getByTestId('api-key-name'), 'gpu-box-1');
    await userEvent.click(screen.getByTestId('api-key-create'));

    const reveal = await screen.findByTestId('api-key-reveal');
    expect(within(reveal).getByTestId('api-key-value')).toHaveValue(SECRET);
    expect(reveal).toHaveTextContent('shown only this once');
    expect(api.callsTo('POST', '/projects/vision/api-keys')[0].body).toEqual({ name: 'gpu-box-1', scope: 'write' });

    await userEvent.click(within(reveal).getByTestId('api-key-copy'));
    expect(writeText).toHaveBeenCalledWith(SECRET);
    expect(await within(reveal).findByText('Copied')).toBeInTheDocument();

    // The list shows the new key by name and prefix only.
    await waitFor(() => expect(screen.getAllByTestId('api-key-row')).toHaveLength(2));
    expect(screen.getByTestId('api-keys-table')).not.toHaveTextContent(SECRET);

    await userEvent.click(screen.getByTestId('api-key-done'));
    expect(screen.queryByTestId('api-key-reveal')).toBeNull();
    expect(document.body).not.toHaveTextContent(SECRET);
  });

  it('revokes a key after confirmation', async () => {
    document.cookie = 'XSRF-TOKEN=t; path=/';
    const api = mockFetch([
      {
        path: '/projects/vision/api-keys',
        body: {
          apiKeys: [
            {
              id: 'k9',
              name: 'ci',
              scope: 'write',
              prefix: 'sw_ci',
              createdAt: '2026-11-01T00:00:00Z',
              expiresAt: null,
              lastUsedAt: null,
              revoked: false,
            },
          ],
        },
      },
      { method: 'DELETE', path: '/projects/vision/api-keys/k9', status: 204 },
    ]);
    renderWithProviders(<ApiKeysPanel slug="vision" />);
    await userEvent.click(await screen.findByTestId('api-key-revoke'));
    await userEvent.click(screen.getByTestId('api-key-revoke-confirm'));
    await waitFor(() => expect(api.callsTo('DELETE', '/projects/vision/api-keys/k9')).toHaveLength(1));
  });
});
