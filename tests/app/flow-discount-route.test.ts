import { describe, expect, it } from "vitest";
import { action, loader } from "~/routes/app.flows._index";
import * as flowPage from "~/routes/app.flows.$id";
import { action as editAction, loader as editLoader } from "~/routes/app.flows.$id";
import { renderAdminDocument } from "../helpers/admin-document";
import { adminRouteShop, callAdminRoute } from "../helpers/admin-route";
import { formAnswer } from "../helpers/form-answer";
import { machineWords, visibleText } from "../helpers/merchant-words";
import { embeddedAdminRequest } from "../helpers/shopify-requests";

// An email step's discount on the flow's page, behind real embedded-admin authentication (a
// stored offline session and a signed session token): the win-back template's offer, the
// merchant's own saved and a nonsensical one refused, and the page saying why steps failed.
const shop = await adminRouteShop();

async function addFlow(template: string): Promise<string> {
  await callAdminRoute(action, "/app/flows", { form: { intent: "create", template } });
  return (await callAdminRoute(loader, "/app/flows")).flows[0]?.id ?? "";
}

const openFlow = (id: string) => callAdminRoute(editLoader, `/app/flows/${id}`, { params: { id } });

describe("/app/flows/:id, an email step's discount", () => {
  it("GIVEN the win-back template WHEN added THEN its email offers 10% for 14 days; a fixed amount with a minimum is saved and 150% is refused", async () => {
    const id = await addFlow("winback");
    const { flow } = await openFlow(id);
    expect(flow.steps[0]).toMatchObject({
      kind: "email",
      discount: { valueType: "percentage", value: 10, minimumSubtotal: null, expiresInDays: 14 },
    });

    const save = async (discount: unknown) =>
      formAnswer(
        await callAdminRoute(editAction, `/app/flows/${id}`, {
          form: {
            steps: JSON.stringify([{ kind: "email", subject: "Hi", body: "Back?", discount }]),
          },
          params: { id },
        }),
      );
    const fixed = { valueType: "fixed_amount", value: 5.5, minimumSubtotal: 30, expiresInDays: 7 };
    expect(await save(fixed)).toMatchObject({ ok: true });
    expect((await openFlow(id)).flow.steps[0]).toMatchObject({ discount: fixed });
    expect(await save({ ...fixed, valueType: "percentage", value: 150 })).toMatchObject({
      ok: false,
    });
    expect(await save({ ...fixed, expiresInDays: 0 })).toMatchObject({ ok: false });
    expect((await openFlow(id)).flow.version).toBe(2);
  });

  it("GIVEN customers whose discount Shopify would not create WHEN the merchant opens the flow THEN the step says why, with how many customers", async () => {
    const id = await addFlow("winback");
    for (const customer of [1, 2]) {
      await shop.sql.query(
        `WITH run AS (
           INSERT INTO message_flow_run (shop_id, flow_id, version, customer_id, occurrence_key,
                                         status, step_index, next_at, entered_at)
           VALUES ($1, $2, 1, $3, 'at_risk', 'active', 1, now(), now()) RETURNING id)
         INSERT INTO message_flow_step (shop_id, run_id, step_index, flow_id, kind, status,
                                        error, started_at)
         SELECT $1, run.id, 0, $2, 'email', 'failed', $4::jsonb, now() FROM run`,
        [shop.id, id, customer, JSON.stringify({ key: "actionReasons.discountNoAccess" })],
      );
    }

    const answer = await renderAdminDocument(await embeddedAdminRequest(`/app/flows/${id}`), {
      id: "routes/app.flows.$id",
      path: "flows/:id",
      module: flowPage,
    });

    expect(answer.status).toBe(200);
    const html = await answer.text();
    const drawn = visibleText(
      html.slice(html.indexOf("<ui-title-bar"), html.indexOf('<div id="PolarisPortalsContainer">')),
    );
    expect(drawn).toContain(
      "2 customers: Rekindle isn't allowed to create discounts in your store, so the email wasn't sent.",
    );
    expect(drawn).toContain("Give each customer their own discount code");
    expect(drawn).toContain("Valid for (days)");
    expect(machineWords(drawn)).toEqual([]);
  });
});
