/**
 * The analytics settings page's form: text fields to and from AnalyticsSettings. Empty fields
 * mean "use the computed or default value"; every error names its field so the page can show
 * it beside the input.
 */
import { DEFAULT_LIFECYCLE_CONFIG } from "./models/lifecycle";
import { analyticsSettingsSchema, type AnalyticsSettings } from "./settings";
import { fieldMessage } from "~/i18n/field-message";
import { message, type Message } from "~/i18n/message";

export interface SettingsFormValues {
  recencyDays: string;
  frequency: string;
  monetary: string;
  newCustomerDays: string;
  loyalMinOrders: string;
  atRiskMultiple: string;
  lapsingMultiple: string;
  lostMultiple: string;
  clvHorizonDays: string;
}

const text = (value: number | readonly number[] | undefined) =>
  value === undefined ? "" : Array.isArray(value) ? value.join(", ") : String(value);

export function settingsFormValues(settings: AnalyticsSettings | undefined): SettingsFormValues {
  return {
    recencyDays: text(settings?.rfmOverrides.recencyDays),
    frequency: text(settings?.rfmOverrides.frequency),
    monetary: text(settings?.rfmOverrides.monetary),
    newCustomerDays: text(settings?.lifecycle.newCustomerDays),
    loyalMinOrders: text(settings?.lifecycle.loyalMinOrders),
    atRiskMultiple: text(settings?.lifecycle.activeMultiple),
    lapsingMultiple: text(settings?.lifecycle.atRiskMultiple),
    lostMultiple: text(settings?.lifecycle.lapsingMultiple),
    clvHorizonDays: settings ? String(settings.clvHorizonDays) : "",
  };
}

type Parsed =
  | { ok: true; settings: AnalyticsSettings }
  | { ok: false; errors: Partial<Record<keyof SettingsFormValues, Message>> };

/** Drops empty fields so they fall back to defaults instead of overriding them with nothing. */
const definedOnly = <T extends object>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Form fields → settings; the lifecycle boundaries map to the rule's multiples. */
export function parseSettingsForm(form: Record<string, unknown>): Parsed {
  const errors: Partial<Record<keyof SettingsFormValues, Message>> = {};
  const field = (name: keyof SettingsFormValues) => String(form[name] ?? "").trim();
  const number = (name: keyof SettingsFormValues) => {
    const value = field(name);
    if (value === "") return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) errors[name] = message("fieldErrors.number");
    return parsed;
  };
  const quartet = (name: keyof SettingsFormValues) => {
    const value = field(name);
    if (value === "") return undefined;
    const parts = value
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    if (parts.length !== 4 || !parts.every(Number.isFinite)) {
      errors[name] = message("fieldErrors.fourNumbers");
      return undefined;
    }
    return parts as [number, number, number, number];
  };
  const candidate = definedOnly({
    rfmOverrides: definedOnly({
      recencyDays: quartet("recencyDays"),
      frequency: quartet("frequency"),
      monetary: quartet("monetary"),
    }),
    lifecycle: definedOnly({
      newCustomerDays: number("newCustomerDays"),
      loyalMinOrders: number("loyalMinOrders"),
      activeMultiple: number("atRiskMultiple"),
      atRiskMultiple: number("lapsingMultiple"),
      lapsingMultiple: number("lostMultiple"),
    }),
    clvHorizonDays: number("clvHorizonDays"),
  });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const parsed = analyticsSettingsSchema.safeParse(candidate);
  if (!parsed.success) {
    const formName: Record<string, keyof SettingsFormValues> = {
      activeMultiple: "atRiskMultiple",
      atRiskMultiple: "lapsingMultiple",
      lapsingMultiple: "lostMultiple",
    };
    for (const issue of parsed.error.issues) {
      // The field is the last name in the path (a threshold's position is not one).
      const key = String(issue.path.findLast((part) => typeof part === "string") ?? "");
      errors[formName[key] ?? (key as keyof SettingsFormValues)] ??= fieldMessage(issue);
    }
    return { ok: false, errors };
  }
  const { activeMultiple, atRiskMultiple, lapsingMultiple } = {
    ...DEFAULT_LIFECYCLE_CONFIG,
    ...parsed.data.lifecycle,
  };
  if (!(activeMultiple < atRiskMultiple && atRiskMultiple < lapsingMultiple)) {
    return { ok: false, errors: { lostMultiple: message("fieldErrors.stagesIncrease") } };
  }
  return { ok: true, settings: parsed.data };
}
