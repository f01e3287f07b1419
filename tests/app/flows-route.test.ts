import { describe, expect, it } from "vitest";
import { adminRouteShop, callAdminRoute } from "../helpers/admin-route";
import { formAnswer } from "../helpers/form-answer";
import { action, loader } from "~/routes/app.flows._index";
import { action as editAction, loader as editLoader } from "~/routes/app.flows.$id";

// The Flows pages behind real embedded-admin authentication (a stored offline session and a
// signed session token): add from a template, turn on and off, edit the steps into a version.
const shop = await adminRouteShop();

const post = async (form: Record<string, string>) =>
  formAnswer(await callAdminRoute(action, "/app/flows", { form }));
const list = async () => (await callAdminRoute(loader, "/app/flows")).flows;

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
        await callAdminRoute(editAction, `/app/flows/${id}`, {
          form: { steps: JSON.stringify(steps) },
          params: { id },
        }),
      );
    const steps = [{ kind: "email", subject: "Thanks", body: "Hi {{first_name}}" }];
    expect(await edit(steps)).toMatchObject({ ok: true });
    expect(await edit([{ kind: "wait", hours: 0 }])).toMatchObject({ ok: false });
    const loaded = await callAdminRoute(editLoader, `/app/flows/${id}`, { params: { id } });
    expect(loaded.flow.version).toBe(2);
    expect(loaded.flow.steps).toEqual(steps);
    const { rows } = await shop.sql.query(
      `SELECT version FROM message_flow_version WHERE shop_id = $1 ORDER BY version`,
      [shop.id],
    );
    expect(rows).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it("GIVEN the next-order-overdue flow WHEN the merchant sets its wait to 14:45 THEN it is saved and reads back, and a time off the clock is refused in plain words", async () => {
    await post({ intent: "create", template: "predicted_overdue" });
    const [flow] = await list();
    const id = flow?.id ?? "";
    const edit = async (hour: number, minute: number) =>
      formAnswer(
        await callAdminRoute(editAction, `/app/flows/${id}`, {
          form: {
            steps: JSON.stringify([
              { kind: "wait_until", hour, minute },
              { kind: "email", subject: "Time for a top-up?", body: "Hi {{first_name}}" },
            ]),
          },
          params: { id },
        }),
      );
    expect(await edit(14, 45)).toMatchObject({ ok: true });
    for (const [hour, minute] of [
      [24, 0],
      [14, 60],
    ] as const) {
      expect(await edit(hour, minute)).toMatchObject({
        ok: false,
        message: { key: "flows.editor.invalid" },
      });
    }
    const loaded = await callAdminRoute(editLoader, `/app/flows/${id}`, { params: { id } });
    expect(loaded.flow.steps[0]).toEqual({ kind: "wait_until", hour: 14, minute: 45 });
  });

  it("GIVEN a post-purchase flow WHEN the merchant sets its trigger to the day of the order THEN it is saved without a new version of the steps, and another kind of trigger is refused", async () => {
    await post({ intent: "create", template: "post_purchase" });
    const id = (await list())[0]?.id ?? "";
    const edit = async (trigger: unknown) =>
      formAnswer(
        await callAdminRoute(editAction, `/app/flows/${id}`, {
          form: { trigger: JSON.stringify(trigger) },
          params: { id },
        }),
      );
    expect(await edit({ type: "order_paid", afterDays: 0 })).toMatchObject({ ok: true });
    expect(await edit({ type: "customer_created" })).toMatchObject({ ok: false });
    expect(await edit({ type: "order_paid", afterDays: -1 })).toMatchObject({ ok: false });
    const loaded = await callAdminRoute(editLoader, `/app/flows/${id}`, { params: { id } });
    expect(loaded.flow.trigger).toEqual({ type: "order_paid", afterDays: 0 });
    expect(loaded.flow.version).toBe(1);
  });

  it("GIVEN the send-timing card WHEN the merchant saves it THEN every flow and win-back email follows it, and a wrong value is named by its field", async () => {
    const before = await callAdminRoute(loader, "/app/flows");
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
    const after = await callAdminRoute(loader, "/app/flows");
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

describe("/app/flows results", () => {
  it("GIVEN a sent flow email with a click and an order credited to it WHEN the Flows page loads THEN its rows carry the counts and revenue per step and variant", async () => {
    await post({ intent: "create", template: "welcome" });
    const flowId = (await list())[0]?.id ?? "";
    await shop.sql.query(
      `INSERT INTO email_message (shop_id, message_key, customer_id, flow_id, step_index, variant,
                                  status, sent_at, opens, clicks)
       VALUES ($1, '<m1@rekindle.app>', 1, $2, 0, 'B', 'sent', now(), 1, 1)`,
      [shop.id, flowId],
    );
    await shop.sql.query(
      `INSERT INTO email_attribution (shop_id, order_id, message_id, touch, touched_at, revenue)
       SELECT $1, 900, id, 'click', now(), 42.5 FROM email_message WHERE shop_id = $1`,
      [shop.id],
    );
    const page = await callAdminRoute(loader, "/app/flows");
    expect(page.performance).toEqual([
      {
        flowId,
        stepIndex: 0,
        variant: "B",
        sent: 1,
        opened: 1,
        clicked: 1,
        converted: 1,
        orders: 1,
        revenue: 42.5,
      },
    ]);
  });
});
