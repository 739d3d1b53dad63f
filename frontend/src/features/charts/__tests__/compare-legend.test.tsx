import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CompareLegend } from '@/features/charts/components/compare-legend';
import { describeConfig, differingConfigKeys } from '@/features/charts/utils/compare-legend';
import { buildRun } from '@/testing/data';

describe('compare legend', () => {
  const runs = [
    buildRun({ name: 'a', config: { lr: 0.1, batch: 32, optimizer: 'adam', seed: 1 } }),
    buildRun({ name: 'b', config: { lr: 0.01, batch: 32, optimizer: 'adam', seed: 2 } }),
    buildRun({ name: 'c', config: { lr: 0.01, batch: 32, optimizer: 'adam', seed: 3, warmup: true } }),
  ];

  it('lists only the config keys that differ between the runs', () => {
    expect(differingConfigKeys(runs)).toEqual(['lr', 'seed', 'warmup']);
    expect(describeConfig(runs[0], ['lr', 'seed'])).toBe('lr=0.1, seed=1');
  });

  it('treats equal nested values as equal and a single run as having no differences', () => {
    expect(
      differingConfigKeys([buildRun({ config: { layers: [1, 2] } }), buildRun({ config: { layers: [1, 2] } })]),
    ).toEqual([]);
    expect(differingConfigKeys([runs[0]])).toEqual([]);
  });

  it('renders entries with their differing config as text', () => {
    const keys = differingConfigKeys(runs);
    render(
      <CompareLegend
        differingKeys={keys}
        entries={runs.map((r, i) => ({
          id: r.id,
          color: '#000',
          label: r.name!,
          detail: describeConfig(r, keys),
          runCount: i === 0 ? 3 : 1,
        }))}
      />,
    );
    const legend = screen.getByTestId('compare-legend');
    expect(legend).toHaveTextContent('Config keys that differ: lr, seed, warmup');
    expect(legend).not.toHaveTextContent('batch');
    expect(legend).not.toHaveTextContent('optimizer');
    const entries = within(legend).getAllByTestId('compare-legend-entry');
    expect(entries[1]).toHaveTextContent('lr=0.01, seed=2, warmup=—');
    expect(entries[0]).toHaveTextContent('mean ± std of 3 runs');
  });
});
