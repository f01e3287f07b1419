import { describe, expect, it } from "vitest";
import { ruleConfigSchema } from "./rule-config";
import {
  configFromValues,
  formDataFromValues,
  NEW_RULE_VALUES,
  placeErrors,
  STARTER_RULE_VALUES,
  valuesFromConfig,
  type RuleFormValues,
} from "./rule-form";
import { ruleFormSchema } from "./rule-form-schema.server";

/** What the page posts for these values, read back as the action reads it. */
const posted = (values: RuleFormValues) => ruleFormSchema.parse(formDataFromValues(values));

describe("rule form → config", () => {
  it("parses numbers, including blank ones as 'use the default'", () => {
    const config = configFromValues(
      posted({
        ...NEW_RULE_VALUES,
        triggerDays: " 60 ",
        holdoutPercent: "12.5",
        capCount: "",
        quietStart: "22",
        quietEnd: "7",
        discountValue: "20",
        discountMinimumSubtotal: "49.90",
      }),
    );
    expect(config.trigger).toEqual({ kind: "days_since_last_order", days: 60 });
    expect(config.holdoutPercent).toBe(12.5);
    expect(config.capCount).toBeUndefined();
    expect(config.quietHours).toEqual({ start: 22, end: 7 });
    expect(config.actions).toMatchObject({
      discount: { value: 20, expiresInDays: 14, minimumSubtotal: 49.9, prefix: "COMEBACK" },
    });
    const parsed = ruleConfigSchema.parse(config);
    expect(parsed.capCount).toBe(2);
  });

  it("keeps text that is not a number as NaN, so the schema rejects it", () => {
    const config = configFromValues(posted({ ...NEW_RULE_VALUES, triggerDays: "sixty" }));
    expect(config.trigger).toEqual({ kind: "days_since_last_order", days: NaN });
    expect(ruleConfigSchema.safeParse(config).success).toBe(false);
  });

  it("turns a switched-off discount, offer or email section into null, whatever it holds", () => {
    const values = posted({
      ...STARTER_RULE_VALUES,
      discountEnabled: false,
      offerEnabled: false,
      emailEnabled: false,
      flowTrigger: true,
    });
    const { actions } = configFromValues(values) as { actions: Record<string, unknown> };
    expect(actions.discount).toBeNull();
    expect(actions.offer).toBeNull();
    expect(actions.email).toBeNull();
    expect(actions.flowTrigger).toBe(true);
  });

  it("posts an empty minimum subtotal as null and upper-cases the code prefix", () => {
    const { actions } = configFromValues(
      posted({ ...NEW_RULE_VALUES, discountMinimumSubtotal: "  ", discountPrefix: " vip26 " }),
    ) as { actions: { discount: Record<string, unknown> } };
    expect(actions.discount.minimumSubtotal).toBeNull();
    expect(actions.discount.prefix).toBe("VIP26");
  });

  it("splits tags on commas, trimming and dropping empty and repeated ones", () => {
    const { actions } = configFromValues(
      posted({ ...NEW_RULE_VALUES, addTags: "winback, lapsed ,,winback,", removeTags: " " }),
    ) as { actions: Record<string, unknown> };
    expect(actions.addTags).toEqual(["winback", "lapsed"]);
    expect(actions.removeTags).toEqual([]);
  });

  it("sends only the fields of the chosen trigger", () => {
    const base = {
      ...NEW_RULE_VALUES,
      segmentId: "7",
      stages: ["lost"],
      checkoutHours: "6",
      browseViews: "4",
    };
    const trigger = (triggerKind: RuleFormValues["triggerKind"]) =>
      configFromValues(posted({ ...base, triggerKind })).trigger;
    expect(trigger("segment_entered")).toEqual({ kind: "segment_entered", segmentId: "7" });
    expect(trigger("stage_entered")).toEqual({ kind: "stage_entered", stages: ["lost"] });
    expect(trigger("abandoned_checkout")).toEqual({ kind: "abandoned_checkout", hours: 6 });
    expect(trigger("next_order_overdue")).toEqual({ kind: "next_order_overdue", days: 90 });
    expect(trigger("browse_abandoned")).toEqual({ kind: "browse_abandoned", views: 4, days: 90 });
  });

  it("round-trips a stored config through the form unchanged", () => {
    const config = ruleConfigSchema.parse(configFromValues(posted(STARTER_RULE_VALUES)));
    expect(config.audience).toBe("orders_count >= 2");
    const again = ruleConfigSchema.parse(
      configFromValues(posted(valuesFromConfig("Starter", config))),
    );
    expect(again).toEqual(config);
  });

  it("rejects a post that is not the form", () => {
    expect(ruleFormSchema.safeParse({ triggerKind: "birthday" }).success).toBe(false);
  });
});

describe("errors back onto the form", () => {
  it("puts each error on the field its path belongs to, the rest in `other`", () => {
    const required = { key: "fieldErrors.required" };
    const atMost23 = { key: "fieldErrors.atMost", values: { max: 23 } };
    const chooseAction = { key: "fieldErrors.chooseAction" };
    const other = { key: "fieldErrors.invalid" };
    const placed = placeErrors({
      name: required,
      "trigger.segmentId": { key: "fieldErrors.chooseSegment" },
      "actions.addTags.2": { key: "fieldErrors.tooLong", values: { max: 40 } },
      "quietHours.end": atMost23,
      actions: chooseAction,
      config: other,
    });
    expect(placed.fields).toEqual({
      name: required,
      segmentId: { key: "fieldErrors.chooseSegment" },
      addTags: { key: "fieldErrors.tooLong", values: { max: 40 } },
      quietEnd: atMost23,
      actions: chooseAction,
    });
    expect(placed.other).toEqual([other]);
  });
});
