import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InvalidInputError } from "~/lib/errors";
import { startSmtpSink, type SmtpSink } from "../../../tests/helpers/smtp-sink";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { EmailNotConfiguredError, SmtpSendError } from "./email-errors";
import {
  emailSenderState,
  saveEmailSettings,
  type EmailSettingsInput,
} from "./email-settings.server";
import { renderEmailTemplate } from "./render-template";
import {
  closeEmailTransports,
  isInternalAddress,
  sendEmail,
  sendTestEmail,
  smtpSendError,
} from "./send-email.server";
import { unsubscribeUrl } from "./unsubscribe-token.server";

const { sql, prisma } = await migratedTestDatabase();

let sink: SmtpSink;
let shopId = 0;
const sinkSettings = (): EmailSettingsInput => ({
  host: sink.host,
  port: sink.port,
  secure: false,
  username: "",
  password: "",
  fromName: "Tea & Co",
  fromAddress: "hello@tea.example",
  replyTo: "care@tea.example",
});

const unsubscribe = () => unsubscribeUrl("tea.myshopify.com", 42n);
const message = (overrides: Partial<Parameters<typeof sendEmail>[2]> = {}) => {
  const rendered = renderEmailTemplate(
    { subject: "{{first_name}}, we miss you", body: "Use {{code}} for {{discount}}." },
    {
      first_name: "Zoë",
      code: "COMEBACK-42",
      discount: "15% off",
      expires_on: "",
      shop_name: "Tea & Co",
      unsubscribe_url: unsubscribe(),
    },
  );
  return {
    to: "zoe@customer.example",
    ...rendered,
    messageId: "<winback-7-42@rekindle.test>",
    unsubscribeUrl: unsubscribe(),
    ...overrides,
  };
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
  shopId = (await prisma.shop.create({ data: { domain: "tea.myshopify.com" } })).id;
  await saveEmailSettings(sql, shopId, sinkSettings());
});

describe("sendEmail", () => {
  it("delivers text and html with one-click unsubscribe headers and the given Message-ID", async () => {
    const result = await sendEmail(sql, shopId, message());
    expect(result).toEqual({ messageId: "<winback-7-42@rekindle.test>", accepted: true });

    const [caught] = await sink.waitFor(1);
    expect(caught?.envelope).toEqual({
      from: "hello@tea.example",
      to: ["zoe@customer.example"],
    });
    expect(caught?.to).toBe("zoe@customer.example");
    expect(caught?.headers.get("from")).toBe('"Tea & Co" <hello@tea.example>');
    expect(caught?.headers.get("reply-to")).toBe("care@tea.example");
    expect(caught?.subject).toBe("Zoë, we miss you");
    expect(caught?.messageId).toBe("<winback-7-42@rekindle.test>");
    expect(caught?.listUnsubscribe).toBe(`<${unsubscribe()}>`);
    expect(caught?.listUnsubscribePost).toBe("List-Unsubscribe=One-Click");
    expect(caught?.text).toContain("Use COMEBACK-42 for 15% off.");
    expect(caught?.text).toContain(unsubscribe());
    expect(caught?.html).toContain("<p");
    expect(caught?.html).toContain(`href="${unsubscribe()}"`);
  });

  it("accepts a Message-ID without angle brackets and reuses one connection pool", async () => {
    await sendEmail(sql, shopId, message({ messageId: "a-1@rekindle.test" }));
    await sendEmail(sql, shopId, message({ messageId: "a-2@rekindle.test" }));
    const caught = await sink.waitFor(2);
    expect(caught.map((item) => item.messageId)).toEqual([
      "<a-1@rekindle.test>",
      "<a-2@rekindle.test>",
    ]);
  });

  it("reports a permanent 5xx refusal of the recipient as permanent", async () => {
    sink.rejectNextRecipients(1, 550, "5.1.1 No such user");
    const error = await sendEmail(sql, shopId, message()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmtpSendError);
    expect(error).toMatchObject({
      kind: "recipient",
      responseCode: 550,
      permanent: true,
    });
    expect((error as SmtpSendError).message).toContain("No such user");
    expect(sink.messages).toHaveLength(0);
    // The refusal was for that one recipient; the next send goes through.
    expect((await sendEmail(sql, shopId, message())).accepted).toBe(true);
  });

  it("reports a 4xx reply as temporary", async () => {
    sink.rejectNextRecipients(1, 451, "4.7.1 Greylisted, try again later");
    const error = await sendEmail(sql, shopId, message()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmtpSendError);
    expect(error).toMatchObject({
      kind: "recipient",
      responseCode: 451,
      permanent: false,
      inDoubt: false,
    });
  });

  it("reports a connection cut before the message went as provably unsent", async () => {
    // GIVEN a server that cuts the connection when told the recipient
    sink.dropAtNextRecipients(1);
    const error = await sendEmail(sql, shopId, message()).catch((caught: unknown) => caught);
    // THEN the failure is temporary and not in doubt: the message never left
    expect(error).toBeInstanceOf(SmtpSendError);
    expect(error).toMatchObject({ kind: "connection", permanent: false, inDoubt: false });
    expect(sink.messages).toHaveLength(0);
  });

  it("sends once and reports the outcome in doubt when the connection drops after the message", async () => {
    // GIVEN a server that keeps the message and then cuts the connection instead of answering
    sink.dropAfterNextMessages(1);
    // WHEN the app sends
    const error = await sendEmail(sql, shopId, message()).catch((caught: unknown) => caught);
    // THEN it knows the message may have arrived, and did not send it again on its own
    expect(error).toBeInstanceOf(SmtpSendError);
    expect(error).toMatchObject({ kind: "connection", responseCode: null, inDoubt: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sink.messages).toHaveLength(1);
  });

  it("throws EmailNotConfiguredError for a shop without settings", async () => {
    await sql.query(`DELETE FROM shop_email_settings`);
    await expect(sendEmail(sql, shopId, message())).rejects.toThrow(EmailNotConfiguredError);
  });

  it("refuses a malformed recipient, Message-ID or unsubscribe URL before connecting", async () => {
    for (const bad of [
      { to: "zoe@customer.example\r\nBcc: all@example.com" },
      { messageId: "no-at-sign" },
      { unsubscribeUrl: "javascript:alert(1)" },
    ]) {
      await expect(sendEmail(sql, shopId, message(bad))).rejects.toThrow(InvalidInputError);
    }
  });

  it("uses new settings at once: the old pool is replaced", async () => {
    await sendEmail(sql, shopId, message());
    const other = await startSmtpSink();
    try {
      await saveEmailSettings(sql, shopId, { ...sinkSettings(), port: other.port });
      await sendEmail(sql, shopId, message());
      await other.waitFor(1);
      expect(sink.messages).toHaveLength(1);
    } finally {
      closeEmailTransports();
      await other.close();
    }
  });

  it("fails as a temporary connection error when the server is unreachable", async () => {
    const gone = await startSmtpSink();
    const port = gone.port;
    await gone.close();
    await saveEmailSettings(sql, shopId, { ...sinkSettings(), port });
    const error = await sendEmail(sql, shopId, message()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmtpSendError);
    expect(error).toMatchObject({
      kind: "connection",
      responseCode: null,
      permanent: false,
      inDoubt: false,
    });
  });

  it("never sends a password over a connection without TLS", async () => {
    await saveEmailSettings(sql, shopId, {
      ...sinkSettings(),
      username: "mailer",
      password: "s3cret",
    });
    const error = await sendEmail(sql, shopId, message()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SmtpSendError);
    // The sink offers no STARTTLS, so nodemailer stops before AUTH.
    expect(error).toMatchObject({ kind: "config", errorCode: "ETLS" });
    expect((error as SmtpSendError).message).not.toContain("s3cret");
    expect(sink.messages).toHaveLength(0);
  });
});

describe("sendTestEmail", () => {
  it("sends a short message with the saved settings", async () => {
    const result = await sendTestEmail(sql, shopId, "owner@tea.example");
    expect(result.accepted).toBe(true);
    const [caught] = await sink.waitFor(1);
    expect(caught?.subject).toBe("Rekindle test email");
    expect(caught?.text).toContain(`${sink.host}:${sink.port}`);
    expect(caught?.messageId).toMatch(/^<rekindle-test-[0-9a-f-]+@tea\.example>$/);
  });

  it("GIVEN a test email the server accepts THEN the sender is verified, until the server or sender changes", async () => {
    expect(await emailSenderState(sql, shopId)).toBe("unverified");
    await sendTestEmail(sql, shopId, "owner@tea.example");
    expect(await emailSenderState(sql, shopId)).toBe("verified");
    // Saving the same server and sender (a new reply-to) keeps it verified.
    await saveEmailSettings(sql, shopId, { ...sinkSettings(), replyTo: "help@tea.example" });
    expect(await emailSenderState(sql, shopId)).toBe("verified");
    // Another From address must be proven again.
    await saveEmailSettings(sql, shopId, { ...sinkSettings(), fromAddress: "news@tea.example" });
    expect(await emailSenderState(sql, shopId)).toBe("unverified");
  });

  it("GIVEN a test email the server refuses THEN the sender stays unverified", async () => {
    sink.rejectNextRecipients(1, 550, "5.1.1 No such user");
    await expect(sendTestEmail(sql, shopId, "owner@tea.example")).rejects.toThrow(SmtpSendError);
    expect(await emailSenderState(sql, shopId)).toBe("unverified");
    await prisma.shopEmailSettings.deleteMany({ where: { shopId } });
    expect(await emailSenderState(sql, shopId)).toBe("missing");
  });
});

describe("SMTP failures", () => {
  it("classify by reply code and command", () => {
    expect(
      smtpSendError({ code: "EAUTH", command: "AUTH PLAIN", responseCode: 535, message: "x" }),
    ).toMatchObject({ kind: "config", permanent: true, responseCode: 535 });
    expect(smtpSendError({ code: "EMESSAGE", command: "DATA", responseCode: 552 })).toMatchObject({
      kind: "message",
      permanent: true,
    });
    // 503 is a protocol hiccup, not a verdict on the message.
    expect(smtpSendError({ command: "DATA", responseCode: 503 }).permanent).toBe(false);
    expect(smtpSendError({ code: "ETIMEDOUT", message: "Timeout" })).toMatchObject({
      kind: "connection",
      responseCode: null,
      permanent: false,
      errorCode: "ETIMEDOUT",
    });
  });

  it("refuse an SMTP host on our own network in every mode unless explicitly allowed", async () => {
    // GIVEN the test run (NODE_ENV=test), whose allow-list names 127.0.0.1 only
    expect(process.env.NODE_ENV).toBe("test");
    // WHEN the merchant's settings name loopback by another name
    await saveEmailSettings(sql, shopId, { ...sinkSettings(), host: "localhost" });
    const error = await sendEmail(sql, shopId, message()).catch((caught: unknown) => caught);
    // THEN nothing is sent and the merchant is told to use a public host
    expect(error).toBeInstanceOf(SmtpSendError);
    expect(error).toMatchObject({ kind: "connection", errorCode: "EPRIVATEHOST" });
    expect((error as SmtpSendError).message).toContain("is not a public address");
    expect(sink.messages).toHaveLength(0);
  });

  it("recognise internal addresses a production SMTP host must not resolve to", () => {
    for (const ip of [
      "127.0.0.1",
      "10.1.2.3",
      "169.254.169.254",
      "192.168.1.1",
      "::1",
      "fd00::1",
    ]) {
      expect(isInternalAddress(ip), ip).toBe(true);
    }
    expect(isInternalAddress("::ffff:127.0.0.1")).toBe(true);
    for (const ip of ["8.8.8.8", "2a00:1450:4001:81b::200e"]) {
      expect(isInternalAddress(ip), ip).toBe(false);
    }
  });
});
