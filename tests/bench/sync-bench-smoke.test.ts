import { describe, expect, it } from "vitest";
import { benchAnalytics } from "../../bench/analytics";
import { benchApplyScaling } from "../../bench/apply";
import { benchBackfill } from "../../bench/backfill";
import { benchRecommendationRebuild } from "../../bench/recommendations-rebuild";
import { benchWinback } from "../../bench/winback";
import { npmRunEnv } from "../helpers/child-process-env";
import { runChild } from "../helpers/run-child";
import { postgresUnavailableReason } from "../helpers/test-database";

// Small-size runs of the sync benchmarks (npm run bench runs the full sizes), so CI notices
// when the harness or the code it measures breaks. Figures are printed, not asserted.
const unavailable = await postgresUnavailableReason();
if (unavailable) console.warn(`skipping benchmark smoke: ${unavailable}`);

describe.skipIf(Boolean(unavailable))("sync benchmark smoke (PostgreSQL)", () => {
  it("apply: 1, 2 and 3 worker processes each drain every event exactly once", async () => {
    const rows = await benchApplyScaling(1_000, [1, 2, 3]);
    console.table(rows);
    expect(rows.map((row) => row.workers)).toEqual([1, 2, 3]);
    for (const row of rows) {
      expect(row).toMatchObject({ events: 1_000, ordersStored: 1_000, linesStored: 2_500 });
      expect(row.vsOneWorker).toBeCloseTo(row.eventsPerSecond / (rows[0]?.eventsPerSecond ?? 0));
    }
  }, 180_000);

  it("backfill: a streamed JSONL result lands completely", async () => {
    const figures = await benchBackfill(500, 2_000);
    console.log("backfill smoke", figures);
    expect(figures).toMatchObject({
      customers: 500,
      orders: 2_000,
      orderLines: 5_000,
      jsonlLines: 7_500,
    });
  }, 120_000);

  it("analytics: a recompute scores every customer and single orders update incrementally", async () => {
    const { report, nightly: _nightly, ...figures } = await benchAnalytics(1_000, 5_000, 10);
    console.log("analytics smoke", figures, report.timingsMs);
    expect(figures.customers).toBe(1_000);
    expect(figures.orders).toBeGreaterThan(3_000);
    expect(report.customers).toBe(1_000);
    // Both ways of rescoring after an order ran (the inbox worker's throws if it claimed nothing).
    expect(figures.incrementalP99Ms).toBeGreaterThan(0);
    expect(figures.jobIncrementalP99Ms).toBeGreaterThan(0);
  }, 120_000);

  it("win-back: a rule's run acts on every treated customer, none failed", async () => {
    const figures = await benchWinback(1_000, 60);
    console.log("win-back smoke", figures);
    expect(figures.targeted + figures.heldOut).toBe(60);
    // A code and an offer for each treated customer, an email for those with consent.
    expect(figures.actions).toBe(2 * figures.targeted + figures.emails);
    expect(figures.emails).toBeGreaterThan(0);
    expect(figures.failed).toBe(0);
  }, 120_000);

  it("recommendations proxy: a short run at a low rate answers every request", async () => {
    // Its own process: the bench points the app's database module at a scratch database.
    const run = await runChild(
      "node",
      ["--import", "tsx", "bench/recommendations-proxy.ts", "50", "3"],
      { env: npmRunEnv({ LOG_LEVEL: "warn" }), timeout: 120_000 },
    );
    console.log(run.stdout);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("recommendations proxy");
  }, 150_000);

  it("email render: branded emails with recommendations render for a generated shop", async () => {
    // Its own process, like the proxy bench: it points the app's database at a scratch one.
    const run = await runChild("node", ["--import", "tsx", "bench/email-render.ts", "50", "300"], {
      env: npmRunEnv({ LOG_LEVEL: "warn" }),
      timeout: 150_000,
    });
    console.log(run.stdout);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("branded email render per customer");
  }, 180_000);

  it("flow entries: the five classic flows enter their customers and queue each first step", async () => {
    // Its own process, like the email render bench.
    const run = await runChild(
      "node",
      ["--import", "tsx", "bench/flow-entries.ts", "2000", "500"],
      {
        env: npmRunEnv({ LOG_LEVEL: "warn" }),
        timeout: 150_000,
      },
    );
    console.log(run.stdout);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("flow entries");
  }, 180_000);

  it("flow sending: the step workers, in the bench's process and in 2 worker processes, send a branded email per customer, none twice", async () => {
    const run = await runChild("node", ["--import", "tsx", "bench/flow-sending.ts", "100", "50"], {
      env: npmRunEnv({ LOG_LEVEL: "warn" }),
      timeout: 150_000,
    });
    console.log(run.stdout);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("flow sending");
  }, 180_000);

  it("recommendation rebuild: trains, tunes and stores a model for a generated shop", async () => {
    const figures = await benchRecommendationRebuild(1_000, 5_000);
    console.log("recommendation rebuild smoke", figures);
    expect(figures.orders).toBeGreaterThan(3_000);
    expect(figures.forYouLive).not.toBe("untrained");
  }, 120_000);
});
