import { describe, expect, it } from "vitest";
import { commaSeparated } from "./comma-list";

describe("commaSeparated", () => {
  it("keeps trimmed, non-empty items in order", () => {
    expect(commaSeparated(" a, b,,c ,")).toEqual(["a", "b", "c"]);
  });

  it("drops NUL characters, which PostgreSQL text cannot hold (a forged form can send them)", () => {
    expect(commaSeparated("\u0000")).toEqual([]);
    expect(commaSeparated("Ac\u0000me, Glo\u0000bex")).toEqual(["Acme", "Globex"]);
  });
});
