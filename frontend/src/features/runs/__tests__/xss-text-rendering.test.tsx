import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { RunOverview } from '@/features/runs/components/run-overview';
import { RunsView } from '@/features/runs/components/runs-view';
import { buildRun } from '@/testing/data';
import { mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/test-utils';

const EVIL = '<img src=x onerror=alert(1)>';

describe('user-supplied text', () => {
  it('renders a run named like an HTML tag as text in the runs table', async () => {
    const alertSpy = vi.spyOn(window, 'alert').mockImplementation(() => {});
    mockFetch([
      {
        path: '/projects/vision/runs',
        body: { runs: [buildRun({ name: EVIL, group: EVIL, tags: [EVIL], config: { note: EVIL } })], nextCursor: null },
      },
    ]);
    const { container } = renderWithProviders(<RunsView slug="vision" canWrite />, { url: '/?col=config.note' });
    expect(await screen.findByRole('link', { name: EVIL })).toBeInTheDocument();
    expect(screen.getAllByText(EVIL).length).toBeGreaterThanOrEqual(3);
    expect(container.querySelector('img')).toBeNull();
    expect(alertSpy).not.toHaveBeenCalled();
  });

  it('renders notes, tags and config values as text on the run page', () => {
    const run = buildRun({ name: EVIL, notes: `<script>alert(2)</script>`, tags: [EVIL], config: { [EVIL]: EVIL } });
    const { container } = renderWithProviders(<RunOverview run={run} />);
    expect(screen.getByText('<script>alert(2)</script>')).toBeInTheDocument();
    expect(screen.getAllByText(EVIL).length).toBeGreaterThanOrEqual(2);
    expect(container.querySelector('img, script')).toBeNull();
  });
});
