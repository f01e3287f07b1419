import { describe, expect, it } from "vitest";
import { periodOfPartition, periodRange, periodStart } from "./partition-periods";

describe("partition periods", () => {
  it("names a day's and a month's partition and its UTC range, across month and year ends", () => {
    // GIVEN instants late in a UTC day and month
    const at = new Date("2026-12-31T23:59:59.999Z");
    // THEN their periods end at the next UTC midnight / month start
    expect(periodRange("t", "day", at)).toEqual({
      name: "t_p20261231",
      from: "2026-12-31",
      to: "2027-01-01",
    });
    expect(periodRange("t", "month", at)).toEqual({
      name: "t_p202612",
      from: "2026-12-01",
      to: "2027-01-01",
    });
    expect(periodStart("day", at, -31).toISOString()).toBe("2026-11-30T00:00:00.000Z");
    expect(periodStart("month", at, -12).toISOString()).toBe("2025-12-01T00:00:00.000Z");
  });

  it("reads a period back from its partition's name, and nothing from another name", () => {
    expect(periodOfPartition("t", "day", "t_p20260301")?.toISOString()).toBe(
      "2026-03-01T00:00:00.000Z",
    );
    expect(periodOfPartition("t", "month", "t_p202603")?.toISOString()).toBe(
      "2026-03-01T00:00:00.000Z",
    );
    for (const name of [
      "t_default",
      "t_kept",
      "t_p20260231",
      "t_p202613",
      "tt_p20260301",
      "t_p2026030",
    ]) {
      expect(periodOfPartition("t", "day", name), name).toBeNull();
    }
    expect(periodOfPartition("t", "month", "t_p20260301")).toBeNull();
  });
});
