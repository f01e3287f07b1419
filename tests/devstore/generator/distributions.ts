/** Samplers over a uniform source, for the generator's purchase processes. */
export type Uniform = () => number;

/** Standard normal (Box-Muller). */
export function normal(random: Uniform): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, scale) by Marsaglia-Tsang; shapes below 1 through the boost u^(1/shape). */
export function gamma(random: Uniform, shape: number, scale: number): number {
  if (shape < 1) return gamma(random, shape + 1, scale) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
  }
}

export function beta(random: Uniform, a: number, b: number): number {
  const x = gamma(random, a, 1);
  return x / (x + gamma(random, b, 1));
}

export function exponential(random: Uniform, rate: number): number {
  return -Math.log(1 - random()) / rate;
}

/** Picks an index with probability proportional to `cumulative` weights (ascending sums). */
export function pickWeighted(random: Uniform, cumulative: Float64Array): number {
  const target = random() * (cumulative[cumulative.length - 1] ?? 0);
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((cumulative[mid] ?? 0) < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Cumulative Zipf weights 1/(rank+1)^exponent for `count` items. */
export function zipfCumulative(count: number, exponent = 1): Float64Array {
  const cumulative = new Float64Array(count);
  let total = 0;
  for (let rank = 0; rank < count; rank += 1) {
    total += 1 / Math.pow(rank + 1, exponent);
    cumulative[rank] = total;
  }
  return cumulative;
}

export function pick<T>(random: Uniform, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}
