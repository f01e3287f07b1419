import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FIXED_END_DATE } from "../tests/devstore/generator/generate-store";
import { demoStoreEndDate, readDemoStoreEndDate } from "./demo-store-date";

const folders: string[] = [];
const scratch = () => {
  const folder = mkdtempSync(path.join(tmpdir(), "rekindle-demo-date-"));
  folders.push(folder);
  return folder;
};
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("demoStoreEndDate", () => {
  it("takes today for a new data folder and keeps that day on later runs", () => {
    // GIVEN a new data folder, first run on 3 December
    const dataDir = path.join(scratch(), ".demo");
    const first = demoStoreEndDate(dataDir, new Date("2026-12-03T00:00:00Z"));
    // WHEN the demo runs again a week later on the same folder
    const later = demoStoreEndDate(dataDir, new Date("2026-12-10T00:00:00Z"));
    // THEN both runs generate the store that ends on the first day, which the folder keeps
    expect(first.toISOString()).toBe("2026-12-03T00:00:00.000Z");
    expect(later.toISOString()).toBe(first.toISOString());
    expect(readDemoStoreEndDate(dataDir)?.toISOString()).toBe(first.toISOString());
  });

  it("gives a folder synced before the date was kept the store that folder synced", () => {
    // GIVEN a data folder with a database but no kept end date (made by an earlier demo)
    const dataDir = scratch();
    mkdirSync(path.join(dataDir, "pglite"));
    // THEN the store ends on the date earlier demos always used
    expect(demoStoreEndDate(dataDir, new Date("2026-12-03T00:00:00Z"))).toEqual(FIXED_END_DATE);
  });

  it("reads nothing from a folder that keeps no date", () => {
    expect(readDemoStoreEndDate(scratch())).toBeNull();
  });
});
