import type { MetricKeyStats, Run, Series } from '@/types/api';

let counter = 0;

export function buildRun(overrides: Partial<Run> = {}): Run {
  counter++;
  const id = overrides.id ?? `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  return {
    id,
    project: 'vision',
    name: `run-${counter}`,
    group: null,
    tags: [],
    config: {},
    notes: null,
    status: 'FINISHED',
    createdAt: '2026-11-20T10:00:00Z',
    startedAt: '2026-11-20T10:00:01Z',
    endedAt: '2026-11-20T11:00:00Z',
    heartbeatAt: '2026-11-20T11:00:00Z',
    createdBy: 'alice',
    ...overrides,
  };
}

export function buildSeries(key: string, y: number[], overrides: Partial<Series> = {}): Series {
  return {
    key,
    x: 'step',
    total: y.length,
    downsampled: false,
    points: { x: y.map((_, i) => i), y, yMin: y, yMax: y },
    ...overrides,
  };
}

export function buildMetricStats(key: string, overrides: Partial<MetricKeyStats> = {}): MetricKeyStats {
  return {
    key,
    n: 3,
    min: 0.1,
    max: 0.9,
    mean: 0.5,
    std: 0.2,
    last: 0.3,
    firstStep: 0,
    lastStep: 2,
    nonFinite: 0,
    ...overrides,
  };
}
