import { formatJsonValue } from '@/lib/format';
import type { JsonValue, Run } from '@/types/api';

const same = (a: JsonValue | undefined, b: JsonValue | undefined) => JSON.stringify(a) === JSON.stringify(b);

/** Config keys whose values are not identical across all given runs (missing counts as a value). */
export function differingConfigKeys(runs: Pick<Run, 'config'>[]): string[] {
  if (runs.length < 2) return [];
  const keys = new Set<string>();
  runs.forEach((r) => Object.keys(r.config ?? {}).forEach((k) => keys.add(k)));
  return [...keys].filter((k) => runs.some((r) => !same(r.config?.[k], runs[0].config?.[k]))).sort();
}

/** `lr=0.01, seed=3` for the differing keys of one run. */
export function describeConfig(run: Pick<Run, 'config'>, keys: string[]): string {
  return keys.map((k) => `${k}=${formatJsonValue(run.config?.[k])}`).join(', ');
}
