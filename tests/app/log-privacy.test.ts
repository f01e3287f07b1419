import { Writable } from "node:stream";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { webhookRequest, TEST_SHOP } from "../helpers/shopify-requests";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { customerBody } from "../sync/inbox-helpers";
import { receiveWebhook } from "~/services/webhooks/receive-webhook.server";
import { drainInbox } from "~/services/sync/inbox-worker.server";
import { logger } from "~/lib/logger.server";
import { smtpSendError } from "~/services/email/send-email.server";

// Every log line the app writes in this file, captured from its one logger.
const captured = vi.hoisted(() => ({ lines: [] as string[] }));
vi.mock("~/lib/logger.server", async (importOriginal) => {
  const actual = await importOriginal<typeof import("~/lib/logger.server")>();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      captured.lines.push(chunk.toString("utf8"));
      done();
    },
  });
  const logger = actual.createLogger(sink);
  logger.level = "debug";
  return { ...actual, logger };
});

const { sql, prisma } = await migratedTestDatabase();

// The customer's personal data, as the store holds it.
const CUSTOMER = {
  email: "zoe.quartermaine@customer.example",
  first_name: "Zoë",
  last_name: "Quartermaine",
  phone: "+905321234567",
};
const personalData = () => Object.values(CUSTOMER);
const logText = () => captured.lines.join("");

beforeEach(async () => {
  captured.lines.length = 0;
  await truncateAppTables();
  await prisma.shop.create({ data: { domain: TEST_SHOP, state: "installed" } });
});

describe("logs carry no customer's personal data", () => {
  it("a webhook whose apply fails on a database constraint is logged by code and constraint", async () => {
    // GIVEN a database that refuses this customer's row (PostgreSQL quotes the row in `detail`)
    await sql.exec(
      `ALTER TABLE customer ADD CONSTRAINT customer_email_probe CHECK (email NOT LIKE '%customer.example')`,
    );
    try {
      // WHEN Shopify delivers the customer and a worker applies it
      const body = JSON.stringify(
        customerBody("9007199254740993", "2026-11-01T10:00:00Z", CUSTOMER),
      );
      const received = await receiveWebhook(
        webhookRequest({ path: "/webhooks/customers", topic: "customers/update", body }),
        "/webhooks/customers",
      );
      expect(received.status).toBe(200);
      const result = await drainInbox(sql);
      // A row the database refuses is a data problem: that delivery is dead-lettered alone.
      expect(result.dead).toBe(1);
    } finally {
      await sql.exec(`ALTER TABLE customer DROP CONSTRAINT customer_email_probe`);
    }
    // THEN the failure is in the log, by SQLSTATE and constraint, without the row
    const failure = captured.lines.map((line) => JSON.parse(line)).find((line) => line.err);
    expect(failure?.err).toMatchObject({ code: "23514", constraint: "customer_email_probe" });
    for (const value of personalData()) expect(logText()).not.toContain(value);
  });

  it("personal fields and errors quoting an address are redacted wherever they are logged", () => {
    logger.info({ customer: CUSTOMER, ...CUSTOMER }, "customer looked at");
    const refusal = smtpSendError({
      code: "EENVELOPE",
      command: "RCPT TO",
      responseCode: 550,
      message: `Can't send mail - all recipients were rejected: 550 <${CUSTOMER.email}>: no such user`,
    });
    logger.warn({ err: refusal }, "email send failed");
    logger.warn({ err: refusal.message }, "email send failed");
    expect(captured.lines).toHaveLength(3);
    for (const value of personalData()) expect(logText()).not.toContain(value);
    expect(logText()).toContain("no such user");
  });
});
