import { describe, expect, it } from "vitest";
import { checkSender, senderDomain, type TxtResolver } from "./sender-check.server";

/** A DNS stand-in: the TXT records each name has; any other name does not exist. */
function stubResolver(records: Record<string, string[][]>, failing: string[] = []): TxtResolver {
  return {
    async resolveTxt(name) {
      if (failing.includes(name)) {
        throw Object.assign(new Error(`queryTxt ETIMEOUT ${name}`), { code: "ETIMEOUT" });
      }
      const found = records[name];
      if (!found)
        throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: "ENOTFOUND" });
      return found;
    },
  };
}

describe("the sender check", () => {
  it("GIVEN a domain set up for SendGrid WHEN checked THEN SPF, DKIM and DMARC are found", async () => {
    const resolver = stubResolver({
      "tea.example": [["v=spf1 include:sendgrid.net ", "~all"], ["google-site-verification=x"]],
      "s1._domainkey.tea.example": [["k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC"]],
      "_dmarc.tea.example": [["v=DMARC1; p=quarantine"]],
    });
    const check = await checkSender(
      { fromAddress: "Hello@Tea.example", smtpHost: "smtp.sendgrid.net" },
      resolver,
    );
    expect(check).toMatchObject({
      domain: "tea.example",
      provider: { id: "sendgrid", name: "SendGrid" },
      spfInclude: "include:sendgrid.net",
      spf: { state: "found", record: "v=spf1 include:sendgrid.net ~all" },
      dkim: { state: "found", name: "s1._domainkey.tea.example" },
      dmarc: { state: "found", record: "v=DMARC1; p=quarantine" },
    });
  });

  it("GIVEN SPF naming another service, two SPF records or a revoked DKIM key WHEN checked THEN each is incomplete", async () => {
    const otherService = await checkSender(
      { fromAddress: "hello@tea.example", smtpHost: "smtp.office365.com" },
      stubResolver({
        "tea.example": [["v=spf1 include:_spf.google.com ~all"]],
        "selector1._domainkey.tea.example": [["v=DKIM1; k=rsa; p="]],
      }),
    );
    expect(otherService?.spf.state).toBe("incomplete");
    expect(otherService?.spfInclude).toBe("include:spf.protection.outlook.com");
    expect(otherService?.dkim.state).toBe("incomplete");
    expect(otherService?.dmarc).toEqual({
      state: "missing",
      record: null,
      name: "_dmarc.tea.example",
    });
    const twoRecords = await checkSender(
      { fromAddress: "hello@tea.example", smtpHost: "mail.tea.example" },
      stubResolver({ "tea.example": [["v=spf1 a ~all"], ["v=spf1 mx -all"]] }),
    );
    expect(twoRecords?.spf.state).toBe("incomplete");
  });

  it("GIVEN a DNS server that does not answer WHEN checked THEN nothing is called missing, only not checked", async () => {
    const check = await checkSender(
      { fromAddress: "hello@tea.example", smtpHost: "smtp.gmail.com" },
      stubResolver({}, ["tea.example", "_dmarc.tea.example", "google._domainkey.tea.example"]),
    );
    expect([check?.spf.state, check?.dkim.state, check?.dmarc.state]).toEqual([
      "unchecked",
      "unchecked",
      "unchecked",
    ]);
  });

  it("GIVEN an own mail server WHEN checked THEN SPF is taken as it is and DKIM cannot be looked up without a selector", async () => {
    const check = await checkSender(
      { fromAddress: "hello@tea.example", smtpHost: "mail.tea.example" },
      stubResolver({ "tea.example": [["v=spf1 mx -all"]] }),
    );
    expect(check).toMatchObject({
      provider: null,
      spfInclude: null,
      spf: { state: "found" },
      dkim: { state: "unchecked", name: "<selector>._domainkey.tea.example" },
      dmarc: { state: "missing" },
      suggestedDmarc: "v=DMARC1; p=none; rua=mailto:dmarc@tea.example",
    });
  });

  it("GIVEN no usable From address WHEN checked THEN there is nothing to check", async () => {
    expect(await checkSender({ fromAddress: "", smtpHost: "" }, stubResolver({}))).toBeNull();
    expect(senderDomain("no-domain@")).toBeNull();
    expect(senderDomain("a@Shop.Example.")).toBe("shop.example");
  });
});
