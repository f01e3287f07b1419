/**
 * Every query on a tenant table (one with a `shopId` column) names its shop, so that on a
 * database distributed by shop (Citus, docs/scaling.md) it is routed to one node and can never
 * read or write another shop's rows. The Prisma client checks this on each operation in
 * development and tests (app/db.server.ts); raw SQL is checked by
 * tests/architecture/tenant-schema.test.ts.
 */
export class UnscopedTenantQueryError extends Error {
  constructor(model: string, operation: string, missing: "where" | "data") {
    super(
      `${model}.${operation} must name its shop: put shopId in its ${missing} ` +
        "(tenant tables are distributed by shop, docs/scaling.md)",
    );
    this.name = "UnscopedTenantQueryError";
  }
}

type Args = Record<string, unknown> | undefined;

const CREATES = new Set(["create", "createMany", "createManyAndReturn"]);

/** Throws UnscopedTenantQueryError unless `args` confine the operation to named shops. */
export function assertShopScoped(model: string, operation: string, args: Args): void {
  if (CREATES.has(operation)) {
    // An empty createMany writes nothing, so it needs no shop.
    if (![args?.["data"]].flat().every(dataNamesShop)) {
      throw new UnscopedTenantQueryError(model, operation, "data");
    }
    return;
  }
  if (!whereNamesShop(args?.["where"])) {
    throw new UnscopedTenantQueryError(model, operation, "where");
  }
  if (operation === "upsert" && !dataNamesShop(args?.["create"])) {
    throw new UnscopedTenantQueryError(model, operation, "data");
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A shop id, or a filter that keeps only given shops (`equals`, `in`). */
function isShopFilter(value: unknown): boolean {
  if (typeof value === "number") return true;
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length > 0 &&
    keys.every(
      (key) =>
        (key === "equals" && typeof value[key] === "number") ||
        (key === "in" && Array.isArray(value[key])),
    )
  );
}

function whereNamesShop(where: unknown): boolean {
  if (!isRecord(where)) return false;
  if (isShopFilter(where["shopId"])) return true;
  // A compound key (`shopId_id: { shopId, id }`) or AND with one clause that names the shop.
  for (const [key, value] of Object.entries(where)) {
    if (key.startsWith("shopId_") && isRecord(value) && isShopFilter(value["shopId"])) return true;
  }
  const and = where["AND"];
  return [and ?? []].flat().some(whereNamesShop);
}

function dataNamesShop(data: unknown): boolean {
  if (!isRecord(data)) return false;
  if (typeof data["shopId"] === "number") return true;
  const shop = data["shop"];
  return isRecord(shop) && isRecord(shop["connect"]) && typeof shop["connect"]["id"] === "number";
}
