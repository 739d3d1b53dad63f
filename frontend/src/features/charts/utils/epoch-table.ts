import type { EpochSummary, MetricValue } from '@/types/api';

const SPLIT_PREFIXES = ['train', 'training', 'val', 'valid', 'validation', 'eval', 'test'];
const PREFIX_ORDER = (p: string) => {
  const i = SPLIT_PREFIXES.indexOf(p);
  return i === -1 ? SPLIT_PREFIXES.length : i;
};

/** `train/loss` → {split: 'train', base: 'loss'}; keys without a known split prefix are their own base. */
export function splitMetricKey(key: string): { split: string; base: string } {
  const slash = key.indexOf('/');
  if (slash > 0) {
    const split = key.slice(0, slash);
    if (SPLIT_PREFIXES.includes(split.toLowerCase())) return { split, base: key.slice(slash + 1) };
  }
  return { split: '', base: key };
}

export type EpochColumnGroup = { base: string; keys: { key: string; split: string }[] };
export type EpochTable = {
  groups: EpochColumnGroup[];
  rows: { epoch: number; values: Record<string, MetricValue | null> }[];
};

/**
 * Pivots `/epochs` rows into one row per epoch, with `train/X` and `val/X` of the same metric X
 * next to each other under one column group.
 */
export function buildEpochTable(epochs: EpochSummary[]): EpochTable {
  const byBase = new Map<string, Map<string, string>>();
  const rows = new Map<number, Record<string, MetricValue | null>>();
  for (const e of epochs) {
    const { split, base } = splitMetricKey(e.key);
    if (!byBase.has(base)) byBase.set(base, new Map());
    byBase.get(base)!.set(e.key, split);
    if (!rows.has(e.epoch)) rows.set(e.epoch, {});
    rows.get(e.epoch)![e.key] = e.value;
  }
  const groups = [...byBase.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([base, keys]) => ({
      base,
      keys: [...keys.entries()]
        .map(([key, split]) => ({ key, split }))
        .sort(
          (a, b) =>
            PREFIX_ORDER(a.split.toLowerCase()) - PREFIX_ORDER(b.split.toLowerCase()) || a.key.localeCompare(b.key),
        ),
    }));
  return {
    groups,
    rows: [...rows.entries()].sort(([a], [b]) => a - b).map(([epoch, values]) => ({ epoch, values })),
  };
}
