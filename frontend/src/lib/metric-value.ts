import type { MetricValue } from '@/types/api';

/** Converts an API metric value (number or "NaN"/"Infinity"/"-Infinity") to a JS number. */
export function toNumber(value: MetricValue | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  const parsed = Number(value);
  return Number.isNaN(parsed) ? null : parsed;
}

/** Converts to a number a chart can draw: non-finite values become gaps (null). */
export function toFinite(value: MetricValue | null | undefined): number | null {
  const n = toNumber(value);
  return n !== null && Number.isFinite(n) ? n : null;
}
