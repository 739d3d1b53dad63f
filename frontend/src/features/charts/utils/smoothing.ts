/**
 * Exponential moving average with TensorBoard's debiasing: `weight` 0 returns the input, 0.99 is
 * very smooth. The first values are not pulled toward zero (each is divided by 1 - weight^n), and
 * gaps (null / non-finite) stay gaps without resetting the average.
 */
export function emaSmooth(values: ReadonlyArray<number | null>, weight: number): (number | null)[] {
  if (!(weight > 0)) return values.slice();
  const w = Math.min(weight, 0.999);
  let last = 0;
  let count = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    last = last * w + (1 - w) * v;
    count++;
    return last / (1 - Math.pow(w, count));
  });
}
