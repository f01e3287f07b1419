import { describe, expect, it } from "vitest";
import {
  InvalidEmailTemplateError,
  formatExpiresOn,
  renderEmailTemplate,
  validateEmailTemplate,
  type EmailTemplateValues,
} from "./render-template";

const values: EmailTemplateValues = {
  first_name: "Ana",
  code: "COMEBACK-42",
  discount: "15% off",
  expires_on: "December 12, 2026",
  shop_name: "Tea & Co",
  unsubscribe_url: "https://rekindle.test/email/unsubscribe?token=abc.def",
};

describe("validateEmailTemplate", () => {
  it("accepts every known placeholder, with or without spaces inside the braces", () => {
    expect(
      validateEmailTemplate({
        subject: "{{first_name}}, {{ discount }} at {{shop_name}}",
        body: "Use {{code}} by {{expires_on}}.\n\nStop: {{unsubscribe_url}}",
      }),
    ).toEqual([]);
  });

  it("names an unknown placeholder, its field and the likely intended one", () => {
    const errors = validateEmailTemplate({
      subject: "Hi {{frist_name}}",
      body: "Your {{coupon}} awaits",
    });
    expect(errors).toEqual([
      expect.objectContaining({ field: "subject", placeholder: "frist_name" }),
      expect.objectContaining({ field: "body", placeholder: "coupon" }),
    ]);
    expect(errors[0]?.problem).toMatchObject({
      key: "fieldErrors.unknownPlaceholderSuggestion",
      values: { placeholder: "{{frist_name}}", suggestion: "{{first_name}}" },
    });
    expect(errors[1]?.problem.key).toBe("fieldErrors.unknownPlaceholder");
    expect(errors[1]?.problem.values?.available).toContain("{{unsubscribe_url}}");
  });

  it("flags unclosed braces and blank or overlong fields", () => {
    expect(validateEmailTemplate({ subject: "Hi {{first_name}", body: "x" })).toEqual([
      expect.objectContaining({
        field: "subject",
        problem: { key: "fieldErrors.placeholderNotClosed", values: { example: "{{first_name}}" } },
      }),
    ]);
    const fields = validateEmailTemplate({ subject: " ", body: "x".repeat(10_001) }).map(
      (error) => error.field,
    );
    expect(fields).toEqual(["subject", "body"]);
  });
});

describe("renderEmailTemplate", () => {
  it("fills placeholders in subject, text and html", () => {
    const rendered = renderEmailTemplate(
      {
        subject: "{{first_name}}, {{discount}} at {{shop_name}}",
        body: "Hi {{first_name}},\n\nUse {{code}} before {{expires_on}}.\nSee you soon!\n\nUnsubscribe: {{unsubscribe_url}}",
      },
      values,
    );
    expect(rendered.subject).toBe("Ana, 15% off at Tea & Co");
    expect(rendered.text).toBe(
      "Hi Ana,\n\nUse COMEBACK-42 before December 12, 2026.\nSee you soon!\n\n" +
        `Unsubscribe: ${values.unsubscribe_url}\n`,
    );
    expect(rendered.html).toContain("<title>Ana, 15% off at Tea &amp; Co</title>");
    expect(rendered.html).toContain('<p style="margin:0 0 16px">Hi Ana,</p>');
    expect(rendered.html).toContain(
      "Use COMEBACK-42 before December 12, 2026.<br>\nSee you soon!</p>",
    );
    expect(rendered.html).toContain(
      `Unsubscribe: <a href="https://rekindle.test/email/unsubscribe?token=abc.def">`,
    );
    // The body links the unsubscribe URL itself, so no footer is added.
    expect(rendered.html.match(/unsubscribe\?token/g)).toHaveLength(2);
  });

  it("adds an unsubscribe footer when the body has no {{unsubscribe_url}}", () => {
    const rendered = renderEmailTemplate({ subject: "Hi", body: "Come back!" }, values);
    expect(rendered.text).toBe(`Come back!\n\n--\nUnsubscribe: ${values.unsubscribe_url}\n`);
    expect(rendered.html).toContain(`<a href="${values.unsubscribe_url}"`);
    expect(rendered.html).toContain(">Unsubscribe</a>");
  });

  it("turns the merchant's links into anchors, taking in placeholders and leaving punctuation", () => {
    const rendered = renderEmailTemplate(
      {
        subject: "Hi",
        body: "Shop at https://tea.example/discount/{{code}}?redirect=/new. Or see https://tea.example/faq, {{unsubscribe_url}}",
      },
      { ...values, code: "SAVE 10&MORE" },
    );
    expect(rendered.html).toContain(
      '<a href="https://tea.example/discount/SAVE%2010%26MORE?redirect=/new">https://tea.example/discount/SAVE%2010%26MORE?redirect=/new</a>.',
    );
    expect(rendered.html).toContain(
      '<a href="https://tea.example/faq">https://tea.example/faq</a>,',
    );
    expect(rendered.text).toContain("https://tea.example/discount/SAVE%2010%26MORE?redirect=/new.");
  });

  it("keeps CR/LF and control characters out of the subject, whatever the values hold", () => {
    const rendered = renderEmailTemplate(
      { subject: "Hi {{first_name}}\r\nBcc: victim@example.com", body: "x {{unsubscribe_url}}" },
      { ...values, first_name: "Ana\r\nBcc: everyone@example.com\u0000" },
    );
    expect(rendered.subject).toBe("Hi Ana Bcc: everyone@example.com Bcc: victim@example.com");
    expect(rendered.subject).not.toMatch(/[\r\n]/);
    expect(rendered.subject).not.toContain("\u0000");
  });

  it("keeps a value from forging paragraphs in the body", () => {
    const rendered = renderEmailTemplate(
      { subject: "Hi", body: "Hi {{first_name}} {{unsubscribe_url}}" },
      { ...values, first_name: "Ana\n\nSecond paragraph" },
    );
    expect(rendered.html.match(/<p /g)).toHaveLength(1);
  });

  it("refuses a template that does not validate instead of sending literal braces", () => {
    expect(() => renderEmailTemplate({ subject: "Hi {{firstname}}", body: "x" }, values)).toThrow(
      InvalidEmailTemplateError,
    );
  });
});

describe("formatExpiresOn", () => {
  it("formats the date in the shop's time zone, and nothing for no expiry", () => {
    const at = new Date("2026-12-12T02:00:00Z");
    expect(formatExpiresOn(at, "UTC")).toBe("December 12, 2026");
    expect(formatExpiresOn(at, "America/New_York")).toBe("December 11, 2026");
    expect(formatExpiresOn(null, "UTC")).toBe("");
  });
});
