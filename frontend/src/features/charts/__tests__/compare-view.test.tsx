import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { CompareView } from '@/features/charts/components/compare-view';
import { stubCanvas } from '@/testing/canvas-stub';
import { buildMetricStats, buildRun, buildSeries } from '@/testing/data';
import { mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/test-utils';

const runs = [
  buildRun({ name: 'lr-0.1-seed-1', config: { lr: 0.1, seed: 1, batch: 64 } }),
  buildRun({ name: 'lr-0.1-seed-2', config: { lr: 0.1, seed: 2, batch: 64 } }),
  buildRun({ name: 'lr-0.01-seed-1', config: { lr: 0.01, seed: 1, batch: 64 } }),
];

function mockCompare() {
  return mockFetch([
    { path: /\/runs\/[^/]+\/metrics$/, body: { metrics: [buildMetricStats('train/loss')] } },
    { path: /\/runs\/[^/]+\/series$/, respond: () => ({ body: buildSeries('train/loss', [3, 2, 1]) }) },
  ]);
}

describe('compare view', () => {
  beforeEach(() => stubCanvas());

  it('overlays every selected run in one chart per metric with a legend of differing config', async () => {
    const api = mockCompare();
    renderWithProviders(<CompareView slug="vision" runs={runs} />);
    const chart = await screen.findByTestId('compare-chart-train/loss');
    await waitFor(() => expect(chart.querySelector('.uplot')).not.toBeNull());
    expect(api.calls.filter((c) => c.path.endsWith('/series'))).toHaveLength(3);

    const legend = screen.getByTestId('compare-legend');
    expect(legend).toHaveTextContent('Config keys that differ: lr, seed');
    expect(legend).not.toHaveTextContent('batch');
    const entries = within(legend).getAllByTestId('compare-legend-entry');
    expect(entries.map((e) => e.textContent)).toEqual([
      'lr-0.1-seed-1lr=0.1, seed=1',
      'lr-0.1-seed-2lr=0.1, seed=2',
      'lr-0.01-seed-1lr=0.01, seed=1',
    ]);
  });

  it('groups runs that differ only in seed into one mean ± std entry', async () => {
    mockCompare();
    renderWithProviders(<CompareView slug="vision" runs={runs} />);
    await screen.findByTestId('compare-chart-train/loss');
    await userEvent.selectOptions(screen.getByTestId('compare-group-by'), 'seed');
    const entries = within(screen.getByTestId('compare-legend')).getAllByTestId('compare-legend-entry');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toHaveTextContent('lr=0.1');
    expect(entries[0]).toHaveTextContent('mean ± std of 2 runs');
    expect(entries[1]).toHaveTextContent('lr=0.01');
    expect(entries[1]).not.toHaveTextContent('mean ± std');
    expect(screen.queryByTestId('compare-group-warning')).toBeNull();
  });

  it('warns when a group mixes runs that differ in more than the seed', async () => {
    mockCompare();
    renderWithProviders(<CompareView slug="vision" runs={runs} />);
    await screen.findByTestId('compare-chart-train/loss');
    await userEvent.selectOptions(screen.getByTestId('compare-group-by'), 'config.batch');
    const entries = within(screen.getByTestId('compare-legend')).getAllByTestId('compare-legend-entry');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toHaveTextContent('batch=64');
    expect(entries[0]).toHaveTextContent('mean ± std of 3 runs');
    expect(within(entries[0]).getByTestId('compare-group-warning')).toHaveTextContent('also differ in lr');
  });
});
