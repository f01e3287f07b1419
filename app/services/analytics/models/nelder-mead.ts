/**
 * Derivative-free minimiser (Nelder & Mead 1965, with the standard coefficients and the
 * termination test of Lagarias et al. 1998 / scipy: simplex spread in both x and f below
 * tolerance). Written here rather than pulled from npm: it is ~100 lines, the models only need 3–4
 * dimensions, and a local copy lets us restart and count iterations the way the fits need.
 */

export interface NelderMeadOptions {
  /** Edge length of the initial simplex along each axis (the models pass log-parameters). */
  initialStep?: number;
  /** Converged when every vertex is within this of the best one, coordinate-wise... */
  xTolerance?: number;
  /** ...and every vertex's value is within this of the best value. */
  fTolerance?: number;
  maxIterations?: number;
}

export interface NelderMeadResult {
  point: number[];
  value: number;
  iterations: number;
  converged: boolean;
}

const REFLECTION = 1;
const EXPANSION = 2;
const CONTRACTION = 0.5;
const SHRINK = 0.5;

interface Vertex {
  point: number[];
  value: number;
}

/** Non-finite objective values (overflow, log of a negative) count as +∞ so the simplex backs off. */
function evaluate(objective: (point: readonly number[]) => number, point: number[]): Vertex {
  const value = objective(point);
  return { point, value: Number.isFinite(value) ? value : Infinity };
}

/** centroid + coefficient × (centroid − worst) */
function along(centroid: number[], worst: number[], coefficient: number): number[] {
  return centroid.map((mean, i) => mean + coefficient * (mean - (worst[i] ?? 0)));
}

function hasConverged(simplex: Vertex[], xTolerance: number, fTolerance: number): boolean {
  const [best, ...rest] = simplex;
  if (best === undefined) return true;
  return rest.every(
    (vertex) =>
      Math.abs(vertex.value - best.value) <= fTolerance &&
      vertex.point.every(
        (coordinate, i) => Math.abs(coordinate - (best.point[i] ?? 0)) <= xTolerance,
      ),
  );
}

export function nelderMead(
  objective: (point: readonly number[]) => number,
  start: readonly number[],
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const {
    initialStep = 0.5,
    xTolerance = 1e-8,
    fTolerance = 1e-10,
    maxIterations = 5000,
  } = options;
  const dimension = start.length;
  const simplex: Vertex[] = [evaluate(objective, [...start])];
  for (let axis = 0; axis < dimension; axis++) {
    const point = [...start];
    point[axis] = (point[axis] ?? 0) + initialStep;
    simplex.push(evaluate(objective, point));
  }

  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    simplex.sort((left, right) => left.value - right.value);
    if (hasConverged(simplex, xTolerance, fTolerance)) break;

    const best = simplex[0];
    const secondWorst = simplex[dimension - 1];
    const worst = simplex[dimension];
    if (best === undefined || secondWorst === undefined || worst === undefined) break;

    const centroid = new Array<number>(dimension).fill(0);
    for (let v = 0; v < dimension; v++) {
      const vertex = simplex[v];
      if (vertex === undefined) continue;
      for (let i = 0; i < dimension; i++) {
        centroid[i] = (centroid[i] ?? 0) + (vertex.point[i] ?? 0) / dimension;
      }
    }

    const reflected = evaluate(objective, along(centroid, worst.point, REFLECTION));
    if (reflected.value < best.value) {
      const expanded = evaluate(objective, along(centroid, worst.point, EXPANSION));
      simplex[dimension] = expanded.value < reflected.value ? expanded : reflected;
      continue;
    }
    if (reflected.value < secondWorst.value) {
      simplex[dimension] = reflected;
      continue;
    }
    // Contract towards the better of the reflected point and the worst vertex.
    const outside = reflected.value < worst.value;
    const contracted = evaluate(
      objective,
      along(centroid, worst.point, outside ? REFLECTION * CONTRACTION : -CONTRACTION),
    );
    if (contracted.value < (outside ? reflected.value : worst.value)) {
      simplex[dimension] = contracted;
      continue;
    }
    for (let v = 1; v <= dimension; v++) {
      const vertex = simplex[v];
      if (vertex === undefined) continue;
      const shrunk = vertex.point.map((x, i) => {
        const anchor = best.point[i] ?? 0;
        return anchor + SHRINK * (x - anchor);
      });
      simplex[v] = evaluate(objective, shrunk);
    }
  }

  simplex.sort((left, right) => left.value - right.value);
  const best = simplex[0] ?? { point: [...start], value: Infinity };
  return {
    point: best.point,
    value: best.value,
    iterations,
    converged: iterations < maxIterations && Number.isFinite(best.value),
  };
}

/**
 * Nelder–Mead can stall on a collapsed simplex short of the optimum; restarting from the best
 * point with a fresh simplex is the usual remedy (it costs one extra run once converged).
 * Repeats until a restart no longer improves the value by more than fTolerance.
 */
export function nelderMeadWithRestarts(
  objective: (point: readonly number[]) => number,
  start: readonly number[],
  options: NelderMeadOptions & { maxRestarts?: number } = {},
): NelderMeadResult {
  const { maxRestarts = 3, ...runOptions } = options;
  const fTolerance = runOptions.fTolerance ?? 1e-10;
  let result = nelderMead(objective, start, runOptions);
  let iterations = result.iterations;
  for (let restart = 0; restart < maxRestarts; restart++) {
    const next = nelderMead(objective, result.point, {
      ...runOptions,
      initialStep: (runOptions.initialStep ?? 0.5) / 10,
    });
    iterations += next.iterations;
    const improvement = result.value - next.value;
    if (next.value <= result.value) result = { ...next, iterations };
    if (!(improvement > fTolerance)) return { ...result, iterations };
  }
  return { ...result, iterations, converged: false };
}
