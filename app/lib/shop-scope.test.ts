import { describe, expect, it } from "vitest";
import { assertShopScoped, UnscopedTenantQueryError } from "./shop-scope";

const check = (operation: string, args?: Record<string, unknown>) => () =>
  assertShopScoped("Customer", operation, args);

describe("assertShopScoped", () => {
  it("accepts reads and writes whose where names the shop, a compound key or an AND clause", () => {
    expect(check("findMany", { where: { shopId: 1, email: "a@b.c" } })).not.toThrow();
    expect(check("count", { where: { shopId: { in: [1, 2] } } })).not.toThrow();
    expect(check("updateMany", { where: { shopId: { equals: 3 } }, data: {} })).not.toThrow();
    expect(check("findUnique", { where: { shopId_id: { shopId: 1, id: 5n } } })).not.toThrow();
    expect(check("deleteMany", { where: { AND: [{ id: 5n }, { shopId: 1 }] } })).not.toThrow();
  });

  it("refuses a where without the shop, one with any other filter on it, or none at all", () => {
    expect(check("findMany")).toThrow(UnscopedTenantQueryError);
    expect(check("count", { where: { email: "a@b.c" } })).toThrow(/Customer\.count.*where/);
    expect(check("findMany", { where: { shopId: { not: 1 } } })).toThrow(UnscopedTenantQueryError);
    expect(check("findMany", { where: { shopId: undefined } })).toThrow(UnscopedTenantQueryError);
    expect(check("deleteMany", { where: { OR: [{ shopId: 1 }, { id: 5n }] } })).toThrow(
      UnscopedTenantQueryError,
    );
  });

  it("needs the shop in every created row, and in an upsert's create", () => {
    expect(check("create", { data: { shopId: 1, id: 5n } })).not.toThrow();
    expect(check("create", { data: { id: 5n, shop: { connect: { id: 1 } } } })).not.toThrow();
    expect(check("createMany", { data: [{ shopId: 1 }, { shopId: 2 }] })).not.toThrow();
    expect(check("createMany", { data: [{ shopId: 1 }, { id: 5n }] })).toThrow(/in its data/);
    expect(check("createMany", { data: [] })).not.toThrow();
    expect(check("create", {})).toThrow(UnscopedTenantQueryError);
    const where = { shopId_id: { shopId: 1, id: 5n } };
    expect(check("upsert", { where, create: { shopId: 1 }, update: {} })).not.toThrow();
    expect(check("upsert", { where, create: { id: 5n }, update: {} })).toThrow(/in its data/);
  });
});
