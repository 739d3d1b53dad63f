export type LegendEntry = {
  id: string;
  color: string;
  label: string;
  detail: string;
  runCount: number;
  /** Non-seed config keys that still differ inside a group (its band mixes more than seeds). */
  alsoDiffer?: string[];
};

/** Legend of the compare page: names plus only the config keys that differ between the runs (as text). */
export function CompareLegend({ entries, differingKeys }: { entries: LegendEntry[]; differingKeys: string[] }) {
  return (
    <div className="compare-legend card" data-testid="compare-legend">
      <h2 className="card-title">Legend</h2>
      {differingKeys.length > 0 ? (
        <p className="muted small" data-testid="compare-differing-keys">
          Config keys that differ: {differingKeys.join(', ')}
        </p>
      ) : (
        <p className="muted small">All compared runs share the same config.</p>
      )}
      <ul>
        {entries.map((e) => (
          <li key={e.id} data-testid="compare-legend-entry">
            <span className="swatch" style={{ background: e.color }} aria-hidden="true" />
            <span className="legend-label">{e.label}</span>
            {e.runCount > 1 && <span className="muted small"> (mean ± std of {e.runCount} runs)</span>}
            {e.detail && <span className="legend-detail mono small">{e.detail}</span>}
            {e.alsoDiffer && e.alsoDiffer.length > 0 && (
              <span className="legend-warning small" data-testid="compare-group-warning">
                runs in this group also differ in {e.alsoDiffer.join(', ')}
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
