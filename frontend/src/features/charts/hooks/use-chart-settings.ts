import { useState } from 'react';
import type { SeriesX } from '@/types/api';

export type ChartSettings = { xMode: SeriesX; smoothing: number; logScale: boolean };

const STORAGE_KEY = 'stepwise.chartSettings';

/** Settings as last chosen (also used to prefetch the charts' series before they mount). */
export function loadChartSettings(): ChartSettings {
  const fallback: ChartSettings = { xMode: 'step', smoothing: 0.6, logScale: false };
  try {
    const stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<ChartSettings> | null;
    if (!stored) return fallback;
    return {
      xMode: stored.xMode === 'epoch' || stored.xMode === 'time' ? stored.xMode : 'step',
      smoothing:
        typeof stored.smoothing === 'number' && stored.smoothing >= 0 && stored.smoothing < 1
          ? stored.smoothing
          : fallback.smoothing,
      logScale: stored.logScale === true,
    };
  } catch {
    return fallback;
  }
}

/** Chart controls shared by all charts of a page, remembered across visits like TensorBoard does. */
export function useChartSettings() {
  const [settings, setSettings] = useState<ChartSettings>(loadChartSettings);
  const update = (patch: Partial<ChartSettings>) =>
    setSettings((prev) => {
      const next = { ...prev, ...patch };
      try {
        window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      } catch {
        // Storage full or disabled: settings just are not remembered.
      }
      return next;
    });
  return [settings, update] as const;
}
