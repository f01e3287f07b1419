import { describe, expect, it } from "vitest";
import { benchPixelIngest } from "../../bench/pixel-ingest";
import { postgresUnavailableReason } from "../helpers/test-database";

// A seconds-long run of the web pixel ingest benchmark (npm run bench runs it for 30 s), so CI
// notices when the harness or the endpoint breaks. Throughput is printed, not asserted; what is
// asserted is that every event of an acknowledged batch was stored, once.
const unavailable = await postgresUnavailableReason();
if (unavailable) console.warn(`skipping pixel ingest benchmark smoke: ${unavailable}`);

describe.skipIf(Boolean(unavailable))("pixel ingest benchmark smoke (PostgreSQL)", () => {
  it("stores every acknowledged event once, stitches signed-in browsers and prints its figures", async () => {
    const figures = await benchPixelIngest({ seconds: 2, warmUpSeconds: 1 });
    console.table([figures]);
    expect(figures.acknowledgedEvents).toBeGreaterThan(0);
    expect(figures).toMatchObject({ lost: 0, doubled: 0, refusedRequests: 0 });
    expect(figures.storedEvents).toBeGreaterThanOrEqual(figures.acknowledgedEvents);
    expect(figures.stitchedBrowsers).toBeGreaterThan(0);
    expect(figures.customerEvents).toBeGreaterThanOrEqual(figures.stitchedBrowsers);
    expect(figures.mbPerMillionEvents).toBeGreaterThan(0);
  }, 300_000);
});
