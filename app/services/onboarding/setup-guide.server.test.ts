import { beforeEach, describe, expect, it } from "vitest";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { getSetupFacts, setSetupGuideDismissed } from "./setup-guide.server";
import { setupGuide, type SetupGuide } from "./setup-steps";

const { sql, prisma } = await migratedTestDatabase();

let shopId = 0;
let otherShopId = 0;
beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "guide.myshopify.com" } })).id;
  otherShopId = (await prisma.shop.create({ data: { domain: "other.myshopify.com" } })).id;
});

const guide = async (embed: "on" | "off" | "unknown" = "off") =>
  setupGuide(await getSetupFacts(sql, shopId), embed);
const done = (result: SetupGuide) =>
  result.steps.filter((step) => step.done).map((step) => step.key);

/** A backfill job as the sync worker leaves it; times in seconds after a fixed start. */
async function job(
  forShop: number,
  resource: string,
  status: string,
  progress: { objects?: number; lines?: number; loadingAt?: number; updatedAt?: number } = {},
) {
  const start = new Date("2026-12-01T10:00:00Z").getTime();
  await prisma.syncJob.create({
    data: {
      shopId: forShop,
      kind: "backfill",
      resource,
      status,
      objectCount: progress.objects ?? 0,
      linesCommitted: progress.lines ?? 0,
      startedAt: new Date(start),
      loadingStartedAt:
        progress.loadingAt === undefined ? null : new Date(start + progress.loadingAt * 1000),
      updatedAt: new Date(start + (progress.updatedAt ?? 0) * 1000),
    },
  });
}

const segment = (forShop: number, name: string) =>
  prisma.segment.create({ data: { shopId: forShop, name, query: "orders_count > 1", ast: {} } });
const rule = (forShop: number, name: string, status: string) =>
  prisma.winbackRule.create({ data: { shopId: forShop, name, status, config: {} } });

describe("the setup guide", () => {
  it("GIVEN a fresh install THEN every step is open and the import has not started", async () => {
    const result = await guide();
    expect(result.steps.map((step) => step.key)).toEqual([
      "import",
      "storefront",
      "segment",
      "winbackRule",
      "emailSender",
    ]);
    expect(done(result)).toEqual([]);
    expect(result).toMatchObject({
      dismissed: false,
      doneCount: 0,
      import: { state: "notStarted", percent: 0, etaSeconds: null, jobs: [] },
      emailSender: "missing",
    });
  });

  it("GIVEN an import half way THEN its share and the time left come from the rate since saving began", async () => {
    await job(shopId, "customers", "done", { objects: 400, lines: 400 });
    // Exported for 50 s, then 250 of 1,000 lines saved in 10 s: 750 more take 30 s.
    await job(shopId, "products", "loading", {
      objects: 1000,
      lines: 250,
      loadingAt: 50,
      updatedAt: 60,
    });
    await job(shopId, "orders", "pending");
    // Another shop's finished import changes nothing here.
    await job(otherShopId, "customers", "done", { objects: 9, lines: 9 });
    const { import: progress, steps } = await guide();
    expect(progress).toMatchObject({ state: "running", percent: 41, etaSeconds: 30 });
    expect(progress.jobs.map((row) => [row.resource, row.status, row.percent])).toEqual([
      ["customers", "done", 100],
      ["products", "loading", 25],
      ["orders", "pending", 0],
    ]);
    expect(steps[0]).toEqual({ key: "import", done: false });
  });

  it("GIVEN a part that failed THEN the import is failed, not running", async () => {
    await job(shopId, "customers", "done", { objects: 4, lines: 4 });
    await job(shopId, "products", "failed");
    await job(shopId, "orders", "pending");
    expect((await guide()).import.state).toBe("failed");
  });

  it("GIVEN everything set up THEN every step is done", async () => {
    for (const resource of ["customers", "products", "orders"]) {
      await job(shopId, resource, "done", { objects: 10, lines: 10 });
    }
    await segment(shopId, "Lapsed regulars");
    await rule(shopId, "Come back", "active");
    await prisma.shopEmailSettings.create({
      data: {
        shopId,
        host: "smtp.example.com",
        port: 587,
        fromName: "Tea",
        fromAddress: "hi@tea.example",
        verifiedAt: new Date(),
      },
    });
    const result = await guide("on");
    expect(result.doneCount).toBe(5);
    expect(result).toMatchObject({
      import: { state: "done", percent: 100 },
      segments: 1,
      rules: { active: 1, inactive: 0 },
      emailSender: "verified",
    });
  });

  it("GIVEN only a draft rule, another shop's segment and an unreadable theme THEN those steps stay open", async () => {
    await rule(shopId, "Draft", "draft");
    await segment(otherShopId, "Theirs");
    await rule(otherShopId, "Theirs", "active");
    const result = await guide("unknown");
    expect(done(result)).toEqual([]);
    expect(result).toMatchObject({
      appEmbed: "unknown",
      segments: 0,
      rules: { active: 0, inactive: 1 },
    });
  });

  it("GIVEN the merchant closes the guide THEN it stays closed for the shop until shown again", async () => {
    await setSetupGuideDismissed(sql, shopId, true);
    expect((await getSetupFacts(sql, shopId)).dismissed).toBe(true);
    // Only this shop's guide is closed.
    expect((await getSetupFacts(sql, otherShopId)).dismissed).toBe(false);
    await setSetupGuideDismissed(sql, shopId, false);
    expect((await getSetupFacts(sql, shopId)).dismissed).toBe(false);
  });

  it("GIVEN the theme has not answered yet THEN the storefront step is open and the rest stand", async () => {
    await segment(shopId, "Lapsed regulars");
    const result = setupGuide(await getSetupFacts(sql, shopId), "checking");
    expect(done(result)).toEqual(["segment"]);
    expect(result.doneCount).toBe(1);
  });
});
