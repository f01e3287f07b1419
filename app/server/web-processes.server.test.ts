import { describe, expect, it } from "vitest";
import { webProcessCount } from "./web-processes.server";

describe("webProcessCount", () => {
  it("GIVEN PostgreSQL and no WEB_CONCURRENCY, WHEN npm start counts its web processes, THEN it runs one per core", () => {
    expect(webProcessCount({ DATABASE_URL: "postgresql://db/app" }, 2)).toBe(2);
    expect(webProcessCount({ DATABASE_URL: "postgresql://db/app" }, 8)).toBe(8);
  });

  it("GIVEN the embedded database, WHEN no WEB_CONCURRENCY is set, THEN it runs one (PGlite belongs to one process)", () => {
    expect(webProcessCount({}, 8)).toBe(1);
  });

  it("GIVEN WEB_CONCURRENCY, THEN that many, whatever the cores", () => {
    expect(webProcessCount({ DATABASE_URL: "postgresql://db/app", WEB_CONCURRENCY: 1 }, 8)).toBe(1);
    expect(webProcessCount({ DATABASE_URL: "postgresql://db/app", WEB_CONCURRENCY: 3 }, 2)).toBe(3);
  });
});
