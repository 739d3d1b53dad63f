import { describe, expect, it } from 'vitest';
import { emaSmooth } from '@/features/charts/utils/smoothing';

describe('emaSmooth (TensorBoard-style debiased EMA)', () => {
  it('returns the values unchanged at weight 0', () => {
    expect(emaSmooth([1, 5, 2], 0)).toEqual([1, 5, 2]);
  });

  it('keeps a constant series constant from the first point on (debiased, no pull toward zero)', () => {
    const out = emaSmooth([3, 3, 3, 3], 0.9);
    out.forEach((v) => expect(v).toBeCloseTo(3, 10));
  });

  it('matches the debiased EMA formula', () => {
    const w = 0.5;
    // last1 = 0.5*1 = 0.5 → /(1-0.5) = 1; last2 = 0.25 + 0.5*3 = 1.75 → /(1-0.25) = 2.333…
    const out = emaSmooth([1, 3], w);
    expect(out[0]).toBeCloseTo(1, 10);
    expect(out[1]).toBeCloseTo(1.75 / 0.75, 10);
  });

  it('smooths a noisy series toward its mean', () => {
    const noisy = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 0 : 1));
    const out = emaSmooth(noisy, 0.95) as number[];
    expect(Math.abs(out[199] - 0.5)).toBeLessThan(0.05);
  });

  it('keeps gaps as gaps without resetting the average', () => {
    const out = emaSmooth([2, null, Number.NaN, 2], 0.8);
    expect(out[1]).toBeNull();
    expect(out[2]).toBeNull();
    expect(out[3]).toBeCloseTo(2, 10);
  });
});
