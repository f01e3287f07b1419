import { afterAll, beforeAll, describe, expect, it } from "vitest";
import nodemailer from "nodemailer";
import { startSmtpSink, type SmtpSink } from "../../../tests/helpers/smtp-sink";
import { poolLimits } from "./send-email.server";
import { SMTP_PROVIDERS, providerById, providerForHost } from "./smtp-providers";

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
});

describe("SMTP provider presets", () => {
  it("GIVEN a provider's SMTP host, a region or older name WHEN matched THEN the preset is found; any other host is none", () => {
    expect(providerForHost("email-smtp.eu-west-1.amazonaws.com")?.id).toBe("ses");
    expect(providerForHost("SMTP.EU.MAILGUN.ORG")?.id).toBe("mailgun");
    expect(providerForHost("smtp-relay.sendinblue.com")?.id).toBe("brevo");
    expect(providerForHost("smtp.gmail.com.")?.id).toBe("google");
    expect(providerForHost("mail.tea.example")).toBeNull();
    expect(providerForHost("smtp.gmail.com.evil.example")).toBeNull();
    // Each preset's own host is one it matches, and ids are unique.
    for (const provider of SMTP_PROVIDERS) expect(providerForHost(provider.host)).toBe(provider);
    expect(new Set(SMTP_PROVIDERS.map((provider) => provider.id)).size).toBe(SMTP_PROVIDERS.length);
    expect(providerById("postmark")?.host).toBe("smtp.postmarkapp.com");
    expect(providerById("nope")).toBeNull();
  });

  it("GIVEN a provider's pool limits WHEN more messages than its rate are sent THEN the pool spreads them over time; an own server is not held back", async () => {
    // GIVEN Microsoft 365's limits, scaled to a tenth of a second so the test is quick
    const limits = poolLimits("smtp.office365.com");
    expect(limits).toEqual({ maxConnections: 1, rateLimit: 30, rateDelta: 60_000 });
    expect(poolLimits("mail.tea.example")).toEqual({ maxConnections: 2 });
    const transport = nodemailer.createTransport({
      host: sink.host,
      port: sink.port,
      secure: false,
      pool: true,
      ...limits,
      rateLimit: 3,
      rateDelta: 300,
    });
    // WHEN 7 messages go out (three windows' worth)
    const started = Date.now();
    try {
      await Promise.all(
        Array.from({ length: 7 }, (_, i) =>
          transport.sendMail({
            from: "hello@tea.example",
            to: `c${i}@example.com`,
            subject: "Hi",
            text: "Hello",
          }),
        ),
      );
    } finally {
      transport.close();
    }
    // THEN the last ones waited for the third window
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    expect(sink.messages).toHaveLength(7);
  });
});
