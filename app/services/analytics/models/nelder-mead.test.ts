import { describe, expect, it } from "vitest";
import { nelderMead, nelderMeadWithRestarts } from "./nelder-mead";

const rosenbrock = ([x = 0, y = 0]: readonly number[]) => 100 * (y - x * x) ** 2 + (1 - x) ** 2;

describe("nelderMead", () => {
  it("finds the Rosenbrock minimum at (1, 1)", () => {
    const result = nelderMeadWithRestarts(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.point[0]).toBeCloseTo(1, 6);
    expect(result.point[1]).toBeCloseTo(1, 6);
  });

  it("treats non-finite values as +∞ and stays in the feasible region", () => {
    const logBarrier = ([x = 0]: readonly number[]) => (x <= 0 ? NaN : x - Math.log(x));
    const result = nelderMead(logBarrier, [3]);
    expect(result.point[0]).toBeCloseTo(1, 6);
  });

  it("reports non-convergence when out of iterations", () => {
    const result = nelderMead(rosenbrock, [-1.2, 1], { maxIterations: 5 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(5);
  });
});
