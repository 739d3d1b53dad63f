import { toFinite } from '@/lib/metric-value';
import { emaSmooth } from '@/features/charts/utils/smoothing';
import type { Series } from '@/types/api';

export type MetricChartData = {
  x: number[];
  raw: (number | null)[];
  smoothed: (number | null)[];
  /** Lower edge of the server's per-bucket envelope (yMin), drawn as a band under the line. */
  lo: (number | null)[];
  /** Upper edge of the envelope (yMax). */
  hi: (number | null)[];
};

/** On a log axis only positive values can be drawn; everything else becomes a gap. */
const forScale = (v: number | null, log: boolean) => (v === null || (log && v <= 0) ? null : v);

/**
 * Envelope band of a downsampled series: per bucket [yMin, yMax] as finite numbers. Non-finite
 * edges fall back to the bucket's y so the band never spans to infinity.
 */
export function envelopeBand(series: Series, log = false): { lo: (number | null)[]; hi: (number | null)[] } {
  const { y, yMin, yMax } = series.points;
  const lo: (number | null)[] = [];
  const hi: (number | null)[] = [];
  for (let i = 0; i < y.length; i++) {
    const mid = toFinite(y[i]);
    let a = toFinite(yMin?.[i]) ?? mid;
    let b = toFinite(yMax?.[i]) ?? mid;
    if (a !== null && b !== null && a > b) [a, b] = [b, a];
    lo.push(forScale(a, log));
    hi.push(forScale(b, log));
  }
  return { lo, hi };
}

export function toMetricChartData(series: Series, smoothing: number, log: boolean): MetricChartData {
  const raw = series.points.y.map((v) => forScale(toFinite(v), log));
  const smoothed = emaSmooth(raw, smoothing);
  const { lo, hi } = envelopeBand(series, log);
  return { x: series.points.x, raw, smoothed, lo, hi };
}
