import { afterEach, describe, expect, it } from "vitest";
import { migratedTestDatabase } from "../../tests/helpers/test-database";
import { startJobRunner, type JobRunner } from "./job-runner.server";

const { sql } = await migratedTestDatabase();
let runner: JobRunner | undefined;

afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});

describe("the job runner", () => {
  it("makes its first pass as it starts, then waits the interval between passes", async () => {
    // GIVEN a runner whose passes are a minute apart, with one queued job
    const passes: number[] = [];
    const started = Date.now();
    runner = startJobRunner(sql, {
      passMs: 60_000,
      jobs: [
        {
          name: "probe",
          kind: "queued",
          queue: "probe",
          queuedBy: "this test",
          run: async () => void passes.push(Date.now() - started),
        },
      ],
    });
    // WHEN a second has gone by
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // THEN the job ran once, right away, and not again
    expect(passes).toHaveLength(1);
    expect(passes[0]).toBeLessThan(500);
  });
});
