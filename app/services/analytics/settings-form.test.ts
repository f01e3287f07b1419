import { describe, expect, it } from "vitest";
import { parseSettingsForm, settingsFormValues } from "./settings-form";
import { DEFAULT_ANALYTICS_SETTINGS } from "./settings";

describe("analytics settings form", () => {
  it("leaves empty fields to the computed values and round-trips what was entered", () => {
    const parsed = parseSettingsForm({
      recencyDays: "30, 60 90,180",
      loyalMinOrders: "5",
      lostMultiple: "6",
      clvHorizonDays: "730",
    });
    expect(parsed).toEqual({
      ok: true,
      settings: {
        ...DEFAULT_ANALYTICS_SETTINGS,
        rfmOverrides: { recencyDays: [30, 60, 90, 180] },
        lifecycle: { loyalMinOrders: 5, lapsingMultiple: 6 },
        clvHorizonDays: 730,
      },
    });
    if (!parsed.ok) return;
    expect(settingsFormValues(parsed.settings)).toMatchObject({
      recencyDays: "30, 60, 90, 180",
      frequency: "",
      loyalMinOrders: "5",
      lostMultiple: "6",
      clvHorizonDays: "730",
    });
  });

  it("names the field of every mistake", () => {
    expect(parseSettingsForm({ frequency: "1, 2, 3", newCustomerDays: "soon" })).toEqual({
      ok: false,
      errors: {
        frequency: { key: "fieldErrors.fourNumbers" },
        newCustomerDays: { key: "fieldErrors.number" },
      },
    });
    expect(parseSettingsForm({ monetary: "100, 50, 200, 300" })).toMatchObject({
      ok: false,
      errors: { monetary: { key: "fieldErrors.nonDecreasing" } },
    });
    expect(parseSettingsForm({ clvHorizonDays: "5" })).toMatchObject({
      ok: false,
      errors: {
        clvHorizonDays: { key: "fieldErrors.atLeast", values: { min: expect.any(Number) } },
      },
    });
    expect(parseSettingsForm({ atRiskMultiple: "4", lapsingMultiple: "3" })).toEqual({
      ok: false,
      errors: { lostMultiple: { key: "fieldErrors.stagesIncrease" } },
    });
  });
});
