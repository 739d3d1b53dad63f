/** Color-blind-friendly palette (Okabe–Ito, then Tableau) with enough contrast on white. */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#332288',
  '#882255',
  '#117733',
  '#999933',
  '#4E79A7',
  '#E15759',
];

export const colorAt = (i: number) => PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];

/** `#rrggbb` → `rgba(r,g,b,alpha)` for bands and faded raw lines. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}
