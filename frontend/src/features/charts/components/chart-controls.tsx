import { useId } from 'react';
import type { ChartSettings } from '@/features/charts/hooks/use-chart-settings';
import type { SeriesX } from '@/types/api';

type ChartControlsProps = {
  settings: ChartSettings;
  onChange: (patch: Partial<ChartSettings>) => void;
  children?: React.ReactNode;
};

export function ChartControls({ settings, onChange, children }: ChartControlsProps) {
  const id = useId();
  return (
    <div className="chart-controls" data-testid="chart-controls">
      <fieldset className="segmented">
        <legend>X axis</legend>
        {(['step', 'epoch', 'time'] as SeriesX[]).map((x) => (
          <label key={x} className={settings.xMode === x ? 'active' : undefined}>
            <input
              type="radio"
              name={`${id}-x`}
              value={x}
              checked={settings.xMode === x}
              onChange={() => onChange({ xMode: x })}
              data-testid={`x-axis-${x}`}
            />
            {x}
          </label>
        ))}
      </fieldset>
      <div className="field field-inline">
        <label htmlFor={`${id}-smooth`}>Smoothing</label>
        <input
          id={`${id}-smooth`}
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={settings.smoothing}
          onChange={(e) => onChange({ smoothing: Number(e.target.value) })}
          data-testid="smoothing-slider"
        />
        <output htmlFor={`${id}-smooth`} className="mono">
          {settings.smoothing.toFixed(2)}
        </output>
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={settings.logScale}
          onChange={(e) => onChange({ logScale: e.target.checked })}
          data-testid="log-scale-toggle"
        />
        Log scale
      </label>
      {children}
    </div>
  );
}
