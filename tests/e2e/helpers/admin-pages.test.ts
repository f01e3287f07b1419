import { describe, expect, it } from "vitest";
import { adminPageRoutes, adminUrl, fillRoute } from "./admin-pages";

describe("the admin pages the browser checks open", () => {
  it("are the app's page routes as URLs, without its data endpoints", () => {
    const routes = adminPageRoutes();
    expect(routes).toEqual(
      expect.arrayContaining([
        "/app",
        "/app/customers",
        "/app/customers/$id",
        "/app/segments",
        "/app/sync/failed-updates",
        "/app/winback/$id",
      ]),
    );
    expect(routes).not.toContain("/app/product-search");
    expect(routes).not.toContain("/app/segments/preview");
  });

  it("open a `$id` page with the id given for its parent, and refuse one without", () => {
    expect(fillRoute("/app/customers/$id", { customers: "42" })).toBe("/app/customers/42");
    expect(fillRoute("/app/sync", {})).toBe("/app/sync");
    expect(() => fillRoute("/app/winback/$id", { customers: "42" })).toThrow(/no id/);
  });

  it("are reached through the simulated admin, in the language asked for", () => {
    expect(adminUrl("http://localhost:3100", "/app/sync/failed-updates", "fa")).toBe(
      "http://localhost:3100/admin/apps/rekindle/sync/failed-updates?locale=fa",
    );
    expect(adminUrl("http://localhost:3100", "/app", "en")).toBe(
      "http://localhost:3100/admin/apps/rekindle?locale=en",
    );
  });
});
