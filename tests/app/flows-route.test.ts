import { beforeEach, describe, expect, it } from "vitest";
import { TEST_SHOP, embeddedAdminRequest } from "../helpers/shopify-requests";
import { shutNetworkDuringTests, storeOfflineSession } from "../helpers/offline-session";
import { formAnswer } from "../helpers/form-answer";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { action, loader } from "~/routes/app.flows._index";
import { action as editAction, loader as editLoader } from "~/routes/app.flows.$id";

// The Flows pages behind real embedded-admin authentication (a stored offline session and a
// signed session token): add from a template, turn on and off, edit the steps into a version.
const { sql, prisma } = await migratedTestDatabase();
let shopId = 0;
shutNetworkDuringTests();

beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: TEST_SHOP } })).id;
  await storeOfflineSession();
});

const post = async (form: Record<string, string>) =>
  formAnswer(
    await action({
      request: await embeddedAdminRequest("/app/flows", form),
      params: {},
      context: {},
    }),
  );
const list = async () =>
  (await loader({ request: await embeddedAdminRequest("/app/flows"), params: {}, context: {} }))
    .flows;

describe("/app/flows", () => {
  it("GIVEN no flows WHEN the merchant adds the five templates THEN each is listed, off, with its steps", async () => {
    expect(await list()).toEqual([]);
    for (const template of [
      "welcome",
      "abandoned_checkout",
      "post_purchase",
      "winback",
      "predicted_overdue",
    ]) {
      expect(await post({ intent: "create", template })).toMatchObject({ ok: true });
    }
    const flows = await list();
    expect(flows.map((flow) => [flow.templateKey, flow.status])).toEqual([
      ["predicted_overdue", "draft"],
      ["winback", "draft"],
      ["post_purchase", "draft"],
      ["abandoned_checkout", "draft"],
      ["welcome", "draft"],
    ]);
    expect(flows[4]?.stepCounts).toHaveLength(3);
  });

  it("GIVEN a flow WHEN turned on and off THEN its status follows, and an unknown template is refused", async () => {
    await post({ intent: "create", template: "welcome" });
    const [flow] = await list();
    await post({ intent: "turnOn", flowId: flow?.id ?? "" });
    expect((await list())[0]?.status).toBe("active");
    await post({ intent: "turnOff", flowId: flow?.id ?? "" });
    expect((await list())[0]?.status).toBe("paused");
    expect(await post({ intent: "create", template: "birthday" })).toMatchObject({ ok: false });
  });

  it("GIVEN a flow WHEN its steps are edited THEN a new version is saved, and invalid steps are refused", async () => {
    await post({ intent: "create", template: "post_purchase" });
    const [flow] = await list();
    const id = flow?.id ?? "";
    const edit = async (steps: unknown) =>
      formAnswer(
        await editAction({
          request: await embeddedAdminRequest(`/app/flows/${id}`, { steps: JSON.stringify(steps) }),
          params: { id },
          context: {},
        }),
      );
    const steps = [{ kind: "email", subject: "Thanks", body: "Hi {{first_name}}" }];
    expect(await edit(steps)).toMatchObject({ ok: true });
    expect(await edit([{ kind: "wait", hours: 0 }])).toMatchObject({ ok: false });
    const loaded = await editLoader({
      request: await embeddedAdminRequest(`/app/flows/${id}`),
      params: { id },
      context: {},
    });
    expect(loaded.flow.version).toBe(2);
    expect(loaded.flow.steps).toEqual(steps);
    const { rows } = await sql.query(
      `SELECT version FROM message_flow_version WHERE shop_id = $1 ORDER BY version`,
      [shopId],
    );
    expect(rows).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it("GIVEN the send-timing card WHEN the merchant saves it THEN every flow and win-back email follows it, and a wrong value is named by its field", async () => {
    const before = await loader({
      request: await embeddedAdminRequest("/app/flows"),
      params: {},
      context: {},
    });
    expect(before.sendTiming).toMatchObject({
      quietStart: 21,
      quietEnd: 8,
      capCount: 2,
      capDays: 7,
    });
    const form = {
      intent: "sendTiming",
      quietStart: "22",
      quietEnd: "7",
      capCount: "3",
      capDays: "10",
      maxDelayHours: "12",
    };
    expect(await post(form)).toEqual({ ok: true, message: { key: "sendTiming.saved" } });
    const after = await loader({
      request: await embeddedAdminRequest("/app/flows"),
      params: {},
      context: {},
    });
    expect(after.sendTiming).toEqual({
      quietStart: 22,
      quietEnd: 7,
      capCount: 3,
      capDays: 10,
      optimizeSendTime: false,
      maxDelayHours: 12,
    });
    expect(await post({ ...form, capCount: "0", quietEnd: "24" })).toEqual({
      ok: false,
      errors: { capCount: "sendTiming.errors.capCount", quietEnd: "sendTiming.errors.hour" },
    });
  });
});
