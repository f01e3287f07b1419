import { describe, expect, it } from "vitest";
import { benchIngest } from "../../bench/ingest";
import { postgresUnavailableReason } from "../helpers/test-database";

// A seconds-long run of the ingest benchmark (npm run bench runs it for 30 s a server), so CI
// notices when the harness or the servers it measures break. Throughput is printed, not
// asserted; what is asserted is that ours stored every delivery it acknowledged, once.
const unavailable = await postgresUnavailableReason();
if (unavailable) console.warn(`skipping ingest benchmark smoke: ${unavailable}`);

describe.skipIf(Boolean(unavailable))("ingest benchmark smoke (PostgreSQL)", () => {
  it("floor, template and ours (1 and 2 web processes) answer; ours loses and doubles nothing", async () => {
    const figures = await benchIngest({ seconds: 2, warmUpSeconds: 1 });
    console.table(figures.rows);
    expect(figures.rows.map((row) => [row.server.split(":")[0], row.processes])).toEqual([
      ["floor", 1],
      ["template", 1],
      ["ours", 1],
      ["ours", 2],
    ]);
    for (const row of figures.rows) expect(row.acknowledged).toBeGreaterThan(0);
    for (const row of figures.rows.slice(2)) {
      expect(row).toMatchObject({ refused: 0, lost: 0, doubled: 0, altered: 0 });
      expect(row.stored).toBe(row.acknowledged);
    }
  }, 600_000);
});
