import { describe, expect, it } from "vitest";
import { formatsFor } from "~/i18n/format";
import { i18nFor } from "~/i18n/instance";
import { ADMIN_MESSAGES } from "~/i18n/locale.server";
import { describeDetail, describeTrigger, formatLift, liftSentence, type Words } from "./rule-text";

const english = i18nFor("en", ADMIN_MESSAGES.en);
const words: Words = {
  t: english.t,
  locale: "en",
  stageName: (key) => english.t(`lifecycleStages.${key}`),
};
const persian = i18nFor("fa", ADMIN_MESSAGES.fa);
const formats = formatsFor("en");

describe("describeTrigger", () => {
  it("puts each trigger in words", () => {
    const segments = (id: string) => (id === "4" ? "VIP" : undefined);
    expect(describeTrigger(words, { kind: "days_since_last_order", days: 60 })).toBe(
      "60 days since last order",
    );
    expect(describeTrigger(words, { kind: "segment_entered", segmentId: "4" }, segments)).toBe(
      "Enters segment VIP",
    );
    expect(describeTrigger(words, { kind: "segment_entered", segmentId: "9" }, segments)).toBe(
      "Enters segment #9",
    );
    expect(describeTrigger(words, { kind: "stage_entered", stages: ["at_risk", "lapsing"] })).toBe(
      "Becomes At risk or Lapsing",
    );
    expect(describeTrigger(words, { kind: "next_order_overdue", days: 0 })).toBe(
      "Next order overdue",
    );
    expect(describeTrigger(words, { kind: "next_order_overdue", days: 1 })).toBe(
      "Next order 1 day overdue",
    );
    expect(describeTrigger(words, { kind: "abandoned_checkout", hours: 4 })).toBe(
      "Checkout abandoned for 4 hours",
    );
    expect(describeTrigger(words, { kind: "browse_abandoned", views: 3, days: 7 })).toBe(
      "Viewed a product 3 times in 7 days without buying it",
    );
  });

  it("says it in the page's language", () => {
    const fa: Words = { t: persian.t, locale: "fa", stageName: (key) => key };
    expect(describeTrigger(fa, { kind: "days_since_last_order", days: 60 })).toBe(
      "۶۰ روز از آخرین سفارش",
    );
  });
});

describe("lift", () => {
  it("shows the difference in points with its interval", () => {
    const lift = { difference: 0.042, interval: { low: 0.011, high: 0.073 }, significant: true };
    expect(formatLift(words, lift)).toBe("+4.2 pts (1.1 to 7.3)");
    expect(
      formatLift(words, {
        difference: -0.013,
        interval: { low: -0.04, high: 0.012 },
        significant: false,
      }),
    ).toBe("-1.3 pts (-4.0 to 1.2)");
    expect(formatLift(words, null)).toBe("not enough data");
  });

  it("says in words whether the difference is more than chance", () => {
    const up = { difference: 0.04, interval: { low: 0.01, high: 0.07 }, significant: true };
    const unclear = { difference: 0.01, interval: { low: -0.02, high: 0.04 }, significant: false };
    expect(liftSentence(words, up, 10)).toMatch(/very likely bringing customers back/);
    expect(liftSentence(words, unclear, 10)).toMatch(/could be chance/);
    expect(liftSentence(words, null, 10)).toMatch(/Not enough data/);
    expect(liftSentence(words, null, 0)).toMatch(/holds nobody back/);
  });
});

describe("describeDetail", () => {
  it("shows the code, the reason or the error of an action", () => {
    expect(
      describeDetail(words.t, formats, { detail: { code: "COMEBACK-7Q2" }, error: null }),
    ).toBe("Code COMEBACK-7Q2");
    expect(
      describeDetail(words.t, formats, {
        detail: { reason: { key: "actionReasons.noConsent" } },
        error: null,
      }),
    ).toBe("The customer hasn't agreed to receive marketing emails.");
    expect(
      describeDetail(words.t, formats, {
        detail: {},
        error: { key: "actionReasons.addressRefused", values: { replyCode: 550, attempts: 5 } },
      }),
    ).toBe(
      "Your mail server refused the customer's email address. Mail server reply: 550. Gave up after 5 attempts.",
    );
  });

  it("reads a reason it has no words for, or an old sentence, as the generic failure", () => {
    const generic = english.t("actionReasons.failed");
    expect(
      describeDetail(words.t, formats, { detail: {}, error: { key: "actionReasons.gone" } }),
    ).toBe(generic);
    expect(describeDetail(words.t, formats, { detail: { reason: "SMTP 550" }, error: null })).toBe(
      generic,
    );
  });
});
