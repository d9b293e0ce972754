/**
 * A y-axis for a bar chart: a "nice" top (1, 2 or 5 × 10^n, at least the largest value) split into
 * `count` equal steps, so the tick labels read as round numbers in dollars or requests.
 */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s * count >= max) ?? 10 * magnitude;
  // Whole steps only: requests are counted and micro-dollars are integers.
  const whole = Math.max(1, Math.ceil(step));
  return Array.from({ length: count + 1 }, (_, i) => i * whole);
}
