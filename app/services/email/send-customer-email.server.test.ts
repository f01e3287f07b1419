import type { LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loader as clickRoute } from "~/routes/email.click.$token";
import { loader as openRoute } from "~/routes/email.open.$token";
import { insertCustomers, insertOrders } from "~/services/analytics/testing/order-rows";
import { getDatabase } from "~/db.server";
import { openFlowQueue } from "~/services/flows/flow-queue.server";
import { flowMessageId, runFlowStep } from "~/services/flows/flow-steps.server";
import {
  createFlowFromTemplate,
  saveFlowSteps,
  setFlowActive,
} from "~/services/flows/flow-store.server";
import { enterDueCustomers } from "~/services/flows/flow-triggers.server";
import { shopFlowEffects } from "~/services/flows/flow-worker.server";
import {
  IMMEDIATE_SEND_TIMING,
  saveSendTiming,
} from "~/services/send-timing/send-timing-settings.server";
import { subscribeShop } from "../../../tests/helpers/app-plan";
import { shopRunEffects } from "~/services/winback/run-effects.server";
import { APP_URL } from "../../../tests/helpers/shopify-requests";
import { startSmtpSink, type SmtpSink } from "../../../tests/helpers/smtp-sink";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { localSmtpSettings, saveEmailSettings } from "./email-settings.server";
import { closeEmailTransports } from "./send-email.server";
import { sendCustomerEmail, type CustomerEmail } from "./send-customer-email.server";
import { attributeOrders } from "~/services/analytics/email-attribution.server";
import { saveAttributionDays } from "./tracking/attribution.server";
import { recordClick } from "./tracking/tracking-events.server";
import { verifyClickToken } from "./tracking/tracking-links.server";

// Flow and win-back emails through the one send function to a real SMTP server, then the
// received mail's links followed through the public routes, and orders credited to the email.
const { sql, prisma } = await migratedTestDatabase();
const DOMAIN = "tea.myshopify.com";
const MINUTE = 60_000;
const DAY = 86_400_000;
const BROWSER =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
let sink: SmtpSink;
let shopId = 0;

const noShopify = async () => {
  throw new Error("no Admin API in this test");
};

beforeAll(async () => {
  sink = await startSmtpSink();
});

afterAll(async () => {
  closeEmailTransports();
  await sink.close();
});

beforeEach(async () => {
  closeEmailTransports();
  sink.messages.length = 0;
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: DOMAIN, name: "Tea & Co" } })).id;
  await insertCustomers(sql, shopId, [1n]);
  await sql.query(
    `UPDATE customer SET email = 'c1@example.com', first_name = 'Ada', email_marketing = 'subscribed'
     WHERE shop_id = $1`,
    [shopId],
  );
  await saveEmailSettings(
    sql,
    shopId,
    localSmtpSettings(
      { host: "127.0.0.1", port: sink.port },
      { name: "Tea & Co", address: "hello@tea.example" },
    ),
  );
});

const flowEmail = (messageId = "<flow-1@rekindle.app>"): CustomerEmail => ({
  shopId,
  customerId: 1n,
  to: "c1@example.com",
  message: { subject: "Welcome, {{first_name}}", body: "Have a look around." },
  messageId,
  source: { kind: "flow", flowId: 7n, flowName: "Welcome series", stepIndex: 0 },
  variant: "B",
});

/** The value, or a failed test when it is missing. */
function present<T>(value: T | null | undefined): T {
  expect(value).toBeDefined();
  expect(value).not.toBeNull();
  return value as T;
}

const links = (html: string) =>
  [...html.matchAll(/href="([^"]+)"/g)].map((match) => present(match[1]).replace(/&amp;/g, "&"));
const tokenOf = (url: string) => new URL(url).pathname.split("/").pop() ?? "";
const clickLinks = (html: string) => links(html).filter((url) => url.includes("/email/click/"));

const routeArgs = (url: string, userAgent = BROWSER) =>
  ({
    request: new Request(url, { headers: { "User-Agent": userAgent } }),
    params: { token: new URL(url).pathname.split("/").pop() },
    context: {},
  }) as unknown as LoaderFunctionArgs;

async function messages() {
  const { rows } = await sql.query<{
    id: string;
    flow_id: string | null;
    step_index: number | null;
    rule_id: string | null;
    variant: string;
    status: string;
    opens: number;
    clicks: number;
  }>(
    `SELECT id::text, flow_id::text, step_index, rule_id::text, variant, status, opens, clicks
     FROM email_message WHERE shop_id = $1 ORDER BY id`,
    [shopId],
  );
  return rows;
}

describe("sending customer emails through the shared function", () => {
  it("GIVEN a flow step's email and a win-back rule's email WHEN both are sent THEN each goes through sendCustomerEmail: a message row, tracked links and the open pixel", async () => {
    await shopFlowEffects(sql, shopId, noShopify).sendEmail(flowEmail());
    await shopRunEffects(sql, noShopify).sendEmail({
      shopId,
      ruleId: 3n,
      ruleName: "Lapsed",
      customerId: 1n,
      to: "c1@example.com",
      firstName: "Ada",
      template: { subject: "We miss you", body: "Come back soon." },
      code: "BACK-1",
      discountText: "10% off",
      expiresAt: null,
      messageId: "<winback-1.1@rekindle.app>",
    });
    const received = await sink.waitFor(2);
    expect(received.map((mail) => mail.subject)).toEqual(["Welcome, Ada", "We miss you"]);
    for (const mail of received) {
      const followable = links(mail.html).filter((url) => !url.includes("/email/unsubscribe"));
      expect(followable.length).toBeGreaterThan(0);
      // Every link a customer can follow is tracked; the unsubscribe link stays direct.
      expect(followable.every((url) => url.startsWith(`${APP_URL}/email/click/`))).toBe(true);
      expect(mail.html).toContain(`${APP_URL}/email/open/`);
    }
    expect(await messages()).toMatchObject([
      { flow_id: "7", step_index: 0, rule_id: null, variant: "B", status: "sent" },
      { flow_id: null, step_index: null, rule_id: "3", variant: "A", status: "sent" },
    ]);
    // The win-back email's discount link leads to the shop's own storefront.
    const targets = clickLinks(present(received[1]).html).map(
      (url) => verifyClickToken(tokenOf(url))?.url,
    );
    expect(targets).toContain(`https://${DOMAIN}/discount/BACK-1`);
  });

  it("GIVEN a send retried with the same Message-ID WHEN it goes out again THEN it keeps its one message row", async () => {
    await sendCustomerEmail(sql, flowEmail());
    await sendCustomerEmail(sql, flowEmail());
    expect(await messages()).toHaveLength(1);
  });
});

describe("a flow step's email through the worker's effects", () => {
  it("GIVEN a customer in a one-email flow whose first attempt died after its claim WHEN its step runs again THEN the email arrives once, with the claim's one message row marked sent with the step's record", async () => {
    // GIVEN a shop on a plan with flow emails, sending at any hour, and customer 1 just signed up
    await subscribeShop(sql, shopId, "Growth");
    await saveSendTiming(sql, shopId, IMMEDIATE_SEND_TIMING);
    const flowId = await createFlowFromTemplate(sql, shopId, "welcome");
    await saveFlowSteps(sql, shopId, flowId, [
      { kind: "email", subject: "Welcome, {{first_name}}", body: "Have a look around." },
    ]);
    await setFlowActive(sql, shopId, flowId, true, new Date(Date.now() - 60 * MINUTE));
    await sql.query(`UPDATE customer SET created_at = now() WHERE shop_id = $1`, [shopId]);
    const queue = await openFlowQueue(getDatabase().queueDatabase);
    try {
      expect(await enterDueCustomers(sql, queue, () => true)).toBe(1);
      const { rows } = await sql.query<{ id: string }>(
        `SELECT id::text FROM message_flow_run WHERE shop_id = $1`,
        [shopId],
      );
      const job = { shopId, runId: present(rows[0]).id, stepIndex: 0 };
      const effects = shopFlowEffects(sql, shopId, noShopify);
      const dying = {
        ...effects,
        sendEmail: async () => {
          throw new Error("the worker died after its claim");
        },
      };
      await expect(runFlowStep(sql, queue, job, dying)).rejects.toThrow("died");
      // WHEN its step runs again with the shop's own effects
      const result = await runFlowStep(sql, queue, job, effects);
      // THEN one email, its one row sent (settleStep marked it, sendCustomerEmail did not)
      expect(result).toBe("done");
      expect(sink.messages.map((message) => message.messageId)).toEqual([flowMessageId(job)]);
      const sent = await sql.query<{ status: string; sent: boolean; attempts: number }>(
        `SELECT m.status, m.sent_at IS NOT NULL AS sent, st.attempts
         FROM email_message m
         JOIN message_flow_step st ON st.shop_id = m.shop_id AND st.flow_id = m.flow_id
         WHERE m.shop_id = $1`,
        [shopId],
      );
      expect(sent.rows).toEqual([{ status: "sent", sent: true, attempts: 2 }]);
    } finally {
      await queue.stop();
    }
  });
});

describe("/email/click and /email/open", () => {
  async function sentLink() {
    await sendCustomerEmail(sql, flowEmail(), new Date(Date.now() - MINUTE));
    const [mail] = await sink.waitFor(1);
    const { html } = present(mail);
    return { link: present(clickLinks(html)[0]), html };
  }

  it("GIVEN a tracked link from a received email WHEN a person follows it THEN the click is recorded and the browser goes to the shop with UTM tags", async () => {
    const { link } = await sentLink();
    const answer = await clickRoute(routeArgs(link));
    expect(answer.status).toBe(302);
    const target = new URL(present(answer.headers.get("Location")));
    expect(target.host).toBe(DOMAIN);
    expect(Object.fromEntries(target.searchParams)).toMatchObject({
      utm_source: "rekindle",
      utm_medium: "email",
      utm_campaign: "welcome-series",
      utm_content: "step-1-b",
    });
    expect((await messages())[0]).toMatchObject({ clicks: 1 });
  });

  it("GIVEN a tampered token WHEN it is followed THEN a 404 page answers and nothing is recorded, even when only the link inside was changed", async () => {
    const { link } = await sentLink();
    const [payload, mac] = tokenOf(link).split(".");
    const decoded = JSON.parse(Buffer.from(present(payload), "base64url").toString("utf8"));
    const evil = Buffer.from(JSON.stringify({ ...decoded, u: "https://evil.example/" })).toString(
      "base64url",
    );
    for (const token of [`${evil}.${mac}`, `${payload}.${mac}x`, "nonsense", `${payload}`]) {
      const answer = await clickRoute(routeArgs(`${APP_URL}/email/click/${token}`));
      expect(answer.status).toBe(404);
      expect(answer.headers.get("Location")).toBeNull();
    }
    expect((await messages())[0]).toMatchObject({ clicks: 0 });
  });

  it("GIVEN a link scanner or a bot WHEN it follows a link THEN it is redirected but no click is counted", async () => {
    await sendCustomerEmail(sql, flowEmail());
    const [mail] = await sink.waitFor(1);
    const link = present(clickLinks(present(mail).html)[0]);
    // Within two seconds of sending: a mail server's scanner.
    expect((await clickRoute(routeArgs(link))).status).toBe(302);
    const click = present(verifyClickToken(tokenOf(link)));
    expect(
      await recordClick(
        sql,
        click,
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        new Date(Date.now() + MINUTE),
      ),
    ).toBe(false);
    expect((await messages())[0]).toMatchObject({ clicks: 0 });
  });

  it("GIVEN the open pixel WHEN it loads THEN an open is recorded; a bad token records nothing", async () => {
    const { html } = await sentLink();
    const pixel = present(/src="([^"]*\/email\/open\/[^"]+)"/.exec(html)?.[1]);
    const answer = await openRoute(routeArgs(pixel));
    expect(answer.status).toBe(200);
    expect(answer.headers.get("Content-Type")).toBe("image/gif");
    expect((await openRoute(routeArgs(`${pixel}x`))).status).toBe(404);
    expect((await messages())[0]).toMatchObject({ opens: 1 });
  });
});

describe("orders credited to the email clicked last", () => {
  async function clickedAt(at: Date) {
    await sendCustomerEmail(sql, flowEmail(), new Date(at.getTime() - MINUTE));
    const [mail] = await sink.waitFor(1);
    const click = present(verifyClickToken(tokenOf(present(clickLinks(present(mail).html)[0]))));
    expect(await recordClick(sql, click, BROWSER, at)).toBe(true);
  }

  async function credited() {
    const { rows } = await sql.query<{ order_id: string; revenue: string; touch: string }>(
      `SELECT order_id::text, revenue::text, touch FROM email_attribution WHERE shop_id = $1
       ORDER BY order_id`,
      [shopId],
    );
    return rows;
  }

  it("GIVEN a click WHEN orders come 3 and 6 days later THEN only the one within the 5-day window is credited, and a 7-day window credits both", async () => {
    const click = new Date("2026-11-20T10:00:00Z");
    await clickedAt(click);
    await insertOrders(sql, shopId, [
      { id: 501n, customerId: 1n, processedAt: new Date(click.getTime() + 3 * DAY), total: 40 },
      { id: 502n, customerId: 1n, processedAt: new Date(click.getTime() + 6 * DAY), total: 25 },
      { id: 503n, customerId: 1n, processedAt: new Date(click.getTime() - DAY), total: 10 },
    ]);
    await attributeOrders(sql, shopId, [501n, 502n, 503n]);
    expect(await credited()).toEqual([{ order_id: "501", revenue: "40.0000", touch: "click" }]);

    expect(await saveAttributionDays(sql, shopId, 7)).toBe(7);
    await attributeOrders(sql, shopId, [501n, 502n, 503n]);
    expect((await credited()).map((row) => row.order_id)).toEqual(["501", "502"]);
  });
});
