import { describe, expect, it } from 'vitest';
import { alignSeries, groupRuns, meanStd } from '@/features/charts/utils/group-stats';
import { buildRun } from '@/testing/data';

describe('mean ± std grouping', () => {
  it('computes the mean and population std across runs at each step', () => {
    const stats = meanStd([
      { x: [0, 1, 2], y: [1, 2, 3] },
      { x: [0, 1, 2], y: [3, 4, 5] },
    ]);
    expect(stats.x).toEqual([0, 1, 2]);
    expect(stats.mean).toEqual([2, 3, 4]);
    expect(stats.std).toEqual([1, 1, 1]);
    expect(stats.lo).toEqual([1, 2, 3]);
    expect(stats.hi).toEqual([3, 4, 5]);
    expect(stats.n).toEqual([2, 2, 2]);
  });

  it('interpolates runs logged at other steps and ignores runs outside their range', () => {
    const stats = meanStd([
      { x: [0, 10], y: [0, 10] },
      { x: [5], y: [7] },
    ]);
    expect(stats.x).toEqual([0, 5, 10]);
    expect(stats.mean).toEqual([0, 6, 10]); // run 1 interpolates 5 at x=5
    expect(stats.n).toEqual([1, 2, 1]);
  });

  it('groups runs that differ only in seed', () => {
    const a1 = buildRun({ config: { lr: 0.1, seed: 1 } });
    const a2 = buildRun({ config: { seed: 2, lr: 0.1 } });
    const b1 = buildRun({ config: { lr: 0.01, seed: 1 } });
    const groups = groupRuns([a1, b1, a2], { kind: 'seed' });
    expect(groups.map((g) => g.runs.map((r) => r.id))).toEqual([[a1.id, a2.id], [b1.id]]);
  });

  it('groups by a config key or by the run group', () => {
    const runs = [
      buildRun({ group: 'sweep-a', config: { optimizer: 'adam' } }),
      buildRun({ group: 'sweep-b', config: { optimizer: 'sgd' } }),
      buildRun({ group: 'sweep-a', config: { optimizer: 'sgd' } }),
    ];
    expect(groupRuns(runs, { kind: 'config', key: 'optimizer' }).map((g) => [g.label, g.runs.length])).toEqual([
      ['optimizer=adam', 1],
      ['optimizer=sgd', 2],
    ]);
    expect(groupRuns(runs, { kind: 'group' }).map((g) => [g.label, g.runs.length])).toEqual([
      ['group=sweep-a', 2],
      ['group=sweep-b', 1],
    ]);
  });

  it('aligns series on the union of their x values with gaps', () => {
    expect(
      alignSeries([
        { x: [0, 2], y: [1, 3] },
        { x: [1, 2], y: [5, 6] },
      ]),
    ).toEqual({
      x: [0, 1, 2],
      ys: [
        [1, null, 3],
        [null, 5, 6],
      ],
    });
  });
});
