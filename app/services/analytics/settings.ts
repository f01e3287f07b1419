/**
 * The merchant's analytics settings, stored as JSON on shop_analytics.settings and validated on
 * every read and write: RFM threshold overrides, lifecycle rules and the CLV horizon. Anything
 * left out uses the computed or documented default.
 */
import { z } from "zod";
import { DEFAULT_LIFECYCLE_CONFIG } from "./models/lifecycle";

const quartet = z
  .tuple([z.number(), z.number(), z.number(), z.number()])
  .refine((q) => q.every((value, i) => i === 0 || value >= (q[i - 1] ?? value)), {
    message: "fieldErrors.nonDecreasing",
  });

const positive = z.number().positive().finite();

export const analyticsSettingsSchema = z.strictObject({
  rfmOverrides: z
    .strictObject({
      recencyDays: quartet.optional(),
      frequency: quartet.optional(),
      monetary: quartet.optional(),
    })
    .default({}),
  lifecycle: z
    .strictObject({
      newCustomerDays: positive.optional(),
      loyalMinOrders: positive.optional(),
      shopAvgDaysBetweenOrders: positive.optional(),
      activeMultiple: positive.optional(),
      atRiskMultiple: positive.optional(),
      lapsingMultiple: positive.optional(),
    })
    .default({}),
  clvHorizonDays: z.number().int().min(30).max(1825).default(365),
  /** Discount rate per 30-day month applied to future orders in the CLV. */
  monthlyDiscountRate: z.number().min(0).max(0.2).default(0.01),
});

export type AnalyticsSettings = z.infer<typeof analyticsSettingsSchema>;

export const DEFAULT_ANALYTICS_SETTINGS: AnalyticsSettings = analyticsSettingsSchema.parse({});

/** Lifecycle rules the shop runs with: defaults, the measured shop cadence, then overrides. */
export function lifecycleConfigFor(settings: AnalyticsSettings, shopAvgDaysBetween: number) {
  return {
    ...DEFAULT_LIFECYCLE_CONFIG,
    shopAvgDaysBetweenOrders: shopAvgDaysBetween,
    ...settings.lifecycle,
  };
}
