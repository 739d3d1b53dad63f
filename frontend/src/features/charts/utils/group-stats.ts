import { formatJsonValue } from '@/lib/format';
import type { Run } from '@/types/api';

/** `seed` means: group runs whose config is identical except for seed-like keys. */
export type GroupBy = { kind: 'none' } | { kind: 'seed' } | { kind: 'group' } | { kind: 'config'; key: string };

export const isSeedKey = (key: string) => /seed/i.test(key);

export type RunGroup<R> = { id: string; label: string; runs: R[] };

function stableConfigWithoutSeed(config: Run['config']): string {
  const entries = Object.entries(config ?? {})
    .filter(([k]) => !isSeedKey(k))
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}

/** Splits runs into groups; every run is its own group for `none`. Order follows first appearance. */
export function groupRuns<R extends Pick<Run, 'id' | 'name' | 'group' | 'config'>>(
  runs: R[],
  by: GroupBy,
): RunGroup<R>[] {
  const groups = new Map<string, RunGroup<R>>();
  for (const run of runs) {
    let id: string;
    let label: string;
    switch (by.kind) {
      case 'none':
        id = run.id;
        label = run.name || run.id.slice(0, 8);
        break;
      case 'group':
        id = `g:${run.group ?? ''}`;
        label = run.group ? `group=${run.group}` : '(no group)';
        break;
      case 'config': {
        const v = run.config?.[by.key];
        id = `c:${JSON.stringify(v ?? null)}`;
        label = `${by.key}=${formatJsonValue(v)}`;
        break;
      }
      case 'seed':
        id = `s:${stableConfigWithoutSeed(run.config)}`;
        // The caller names these groups by their differing non-seed config.
        label = 'same config except seed';
        break;
    }
    if (!groups.has(id)) groups.set(id, { id, label, runs: [] });
    groups.get(id)!.runs.push(run);
  }
  return [...groups.values()];
}

export type XY = { x: ReadonlyArray<number>; y: ReadonlyArray<number | null> };
export type MeanStd = {
  x: number[];
  mean: (number | null)[];
  std: (number | null)[];
  lo: (number | null)[];
  hi: (number | null)[];
  n: number[];
};

/** Value of a series at x: exact match, else linear interpolation between neighbours; null outside its range. */
function valueAt(s: XY, x: number, cursor: { i: number }): number | null {
  const xs = s.x;
  while (cursor.i < xs.length && xs[cursor.i] < x) cursor.i++;
  if (cursor.i < xs.length && xs[cursor.i] === x) return s.y[cursor.i] ?? null;
  if (cursor.i === 0 || cursor.i >= xs.length) return null;
  const x0 = xs[cursor.i - 1];
  const x1 = xs[cursor.i];
  const y0 = s.y[cursor.i - 1];
  const y1 = s.y[cursor.i];
  if (y0 === null || y1 === null || y0 === undefined || y1 === undefined) return null;
  return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
}

/**
 * Mean ± population std across runs at every x any run reported (runs that did not log that exact
 * x contribute a linear interpolation inside their own range). Series must be sorted by x.
 */
export function meanStd(series: XY[]): MeanStd {
  const xsSet = new Set<number>();
  series.forEach((s) => s.x.forEach((x) => xsSet.add(x)));
  const x = [...xsSet].sort((a, b) => a - b);
  const cursors = series.map(() => ({ i: 0 }));
  const out: MeanStd = { x, mean: [], std: [], lo: [], hi: [], n: [] };
  for (const xv of x) {
    let sum = 0;
    let sumSq = 0;
    let n = 0;
    series.forEach((s, j) => {
      const v = valueAt(s, xv, cursors[j]);
      if (v !== null && Number.isFinite(v)) {
        sum += v;
        sumSq += v * v;
        n++;
      }
    });
    if (n === 0) {
      out.mean.push(null);
      out.std.push(null);
      out.lo.push(null);
      out.hi.push(null);
    } else {
      const m = sum / n;
      const sd = Math.sqrt(Math.max(0, sumSq / n - m * m));
      out.mean.push(m);
      out.std.push(sd);
      out.lo.push(m - sd);
      out.hi.push(m + sd);
    }
    out.n.push(n);
  }
  return out;
}

/** Aligns several series on the union of their x values (uPlot's AlignedData), gaps as null. */
export function alignSeries(series: XY[]): { x: number[]; ys: (number | null)[][] } {
  const xsSet = new Set<number>();
  series.forEach((s) => s.x.forEach((x) => xsSet.add(x)));
  const x = [...xsSet].sort((a, b) => a - b);
  const index = new Map(x.map((v, i) => [v, i]));
  const ys = series.map((s) => {
    const row = new Array<number | null>(x.length).fill(null);
    s.x.forEach((xv, i) => {
      row[index.get(xv)!] = s.y[i] ?? null;
    });
    return row;
  });
  return { x, ys };
}
