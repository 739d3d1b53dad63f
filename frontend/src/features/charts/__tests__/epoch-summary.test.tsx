import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { EpochSummary } from '@/features/charts/components/epoch-summary';
import { buildEpochTable, splitMetricKey } from '@/features/charts/utils/epoch-table';
import { stubCanvas } from '@/testing/canvas-stub';
import { mockFetch } from '@/testing/mock-fetch';
import { renderWithProviders } from '@/testing/test-utils';
import type { EpochSummary as EpochValue } from '@/types/api';

const epochs: EpochValue[] = [
  { key: 'val/loss', epoch: 0, value: 0.9, reduction: 'mean', n: 10 },
  { key: 'train/loss', epoch: 0, value: 1.2, reduction: 'mean', n: 100 },
  { key: 'train/loss', epoch: 1, value: 0.7, reduction: 'mean', n: 100 },
  { key: 'val/loss', epoch: 1, value: 'NaN', reduction: 'mean', n: 10 },
  { key: 'train/lr', epoch: 0, value: 0.1, reduction: 'last', n: 100 },
];

describe('per-epoch summary', () => {
  beforeEach(() => stubCanvas());

  it('puts train/X and val/X of the same metric side by side', () => {
    expect(splitMetricKey('val/acc')).toEqual({ split: 'val', base: 'acc' });
    expect(splitMetricKey('encoder/grad_norm')).toEqual({ split: '', base: 'encoder/grad_norm' });
    const table = buildEpochTable(epochs);
    expect(table.groups).toEqual([
      {
        base: 'loss',
        keys: [
          { key: 'train/loss', split: 'train' },
          { key: 'val/loss', split: 'val' },
        ],
      },
      { base: 'lr', keys: [{ key: 'train/lr', split: 'train' }] },
    ]);
    expect(table.rows.map((r) => r.epoch)).toEqual([0, 1]);
    expect(table.rows[1].values).toEqual({ 'train/loss': 0.7, 'val/loss': 'NaN' });
  });

  it('renders the epoch table and one chart per metric', async () => {
    mockFetch([{ path: '/projects/vision/runs/r1/epochs', body: { epochs } }]);
    renderWithProviders(<EpochSummary slug="vision" runId="r1" live={false} />);
    const table = await screen.findByTestId('epoch-table');
    const rows = within(table).getAllByTestId('epoch-row');
    expect(rows).toHaveLength(2);
    expect(
      within(rows[0])
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['1.2', '0.9', '0.1']);
    expect(
      within(rows[1])
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['0.7', 'NaN', '—']);
    expect(screen.getByTestId('epoch-chart-loss')).toBeInTheDocument();
    expect(screen.getByTestId('epoch-chart-lr')).toBeInTheDocument();
  });

  it('explains setEpoch when no epochs were recorded', async () => {
    mockFetch([{ path: '/projects/vision/runs/r1/epochs', body: { epochs: [] } }]);
    renderWithProviders(<EpochSummary slug="vision" runId="r1" live={false} />);
    expect(await screen.findByTestId('epochs-empty')).toHaveTextContent('run.setEpoch(n)');
  });
});
