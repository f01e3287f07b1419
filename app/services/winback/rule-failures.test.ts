import { describe, expect, it } from "vitest";
import { AppError, PlanLimitError, ShopifyUserError } from "~/lib/errors";
import { EmailNotConfiguredError } from "~/services/email/email-errors";
import { AdminGraphqlError } from "~/services/shopify/admin-graphql.server";
import { ruleFailureReason } from "./rule-failures.server";

describe("why a rule's run failed, as the merchant reads it", () => {
  it("names each known cause by its key, and keeps the plan limit's own sentence", () => {
    const planLimit = new PlanLimitError("over volume", {
      key: "planLimit.overVolume.email",
      values: { plan: "Growth" },
    });
    expect(
      [
        new EmailNotConfiguredError(1),
        new EmailNotConfiguredError(1, "unreadable"),
        new ShopifyUserError("discountCodeBasicCreate", [{ message: "Code taken" }]),
        new AdminGraphqlError("THROTTLED", ["THROTTLED"]),
        new AppError("something of ours"),
        new TypeError("x is undefined"),
        planLimit,
      ].map(ruleFailureReason),
    ).toEqual([
      { key: "ruleFailures.emailMissing" },
      { key: "ruleFailures.emailUnreadable" },
      { key: "ruleFailures.shopifyRefused" },
      { key: "ruleFailures.shopifyUnavailable" },
      { key: "ruleFailures.failed" },
      { key: "ruleFailures.unexpected" },
      planLimit.reason,
    ]);
  });
});
