import { describe, expect, it } from 'vitest';
import { envelopeBand, toMetricChartData } from '@/features/charts/utils/series-data';
import { buildSeries } from '@/testing/data';

describe('envelope band of a downsampled series', () => {
  it('draws each bucket from yMin to yMax so spikes stay visible', () => {
    const series = buildSeries('train/loss', [1, 2, 3], {
      downsampled: true,
      total: 3000,
      points: { x: [0, 1000, 2000], y: [1, 2, 3], yMin: [0.5, 1.5, 2.5], yMax: [9, 2.5, 3.5] },
    });
    expect(envelopeBand(series)).toEqual({ lo: [0.5, 1.5, 2.5], hi: [9, 2.5, 3.5] });
  });

  it('falls back to y for non-finite envelope edges and turns non-finite y into gaps', () => {
    const series = buildSeries('x', [], {
      points: { x: [0, 1, 2], y: [1, 'NaN', 3], yMin: ['-Infinity', 'NaN', 2], yMax: [2, 'NaN', 'Infinity'] },
    });
    expect(envelopeBand(series)).toEqual({ lo: [1, null, 2], hi: [2, null, 3] });
    expect(toMetricChartData(series, 0, false).raw).toEqual([1, null, 3]);
  });

  it('drops non-positive values on a log scale', () => {
    const series = buildSeries('lr', [], { points: { x: [0, 1], y: [0, 0.1], yMin: [-1, 0.05], yMax: [0.5, 0.2] } });
    const data = toMetricChartData(series, 0, true);
    expect(data.raw).toEqual([null, 0.1]);
    expect(data.lo).toEqual([null, 0.05]);
    expect(data.hi).toEqual([0.5, 0.2]);
  });
});
