/**
 * The classic flows a merchant turns on in one click (the five of the brief, and browse
 * abandonment from the web pixel's views). Texts are the starting point the
 * merchant edits; placeholders are those of the email renderer ({{first_name}}, {{shop_name}},
 * {{unsubscribe_url}}).
 */
import type { FlowStep, FlowTrigger } from "./flow-definition";
import {
  FLOW_TEMPLATE_TEXTS,
  type FlowTextId,
} from "~/services/email/templates/flow-template-texts";

export const FLOW_TEMPLATE_KEYS = [
  "welcome",
  "abandoned_checkout",
  "post_purchase",
  "winback",
  "predicted_overdue",
  "browse_abandoned",
] as const;

export type FlowTemplateKey = (typeof FLOW_TEMPLATE_KEYS)[number];

export interface FlowTemplate {
  key: FlowTemplateKey;
  /** The flow's name when created (the merchant can rename it). */
  name: string;
  trigger: FlowTrigger;
  exitOnOrder: boolean;
  steps: FlowStep[];
}

/**
 * The discount an email step starts with when the merchant turns one on, and the win-back
 * template's: 10% off any order for two weeks, the common first win-back offer (no minimum, so
 * a small first order back still counts).
 */
export const FIRST_OFFER = {
  valueType: "percentage",
  value: 10,
  minimumSubtotal: null,
  expiresInDays: 14,
} as const satisfies NonNullable<Extract<FlowStep, { kind: "email" }>["discount"]>;

/** An email step with the template texts' English (stored) wording. */
const email = (subject: FlowTextId, body: FlowTextId): Extract<FlowStep, { kind: "email" }> => ({
  kind: "email",
  subject: FLOW_TEMPLATE_TEXTS.en[subject],
  body: FLOW_TEMPLATE_TEXTS.en[body],
});

export const FLOW_TEMPLATES: Record<FlowTemplateKey, FlowTemplate> = {
  welcome: {
    key: "welcome",
    name: "Welcome series",
    trigger: { type: "customer_created" },
    // A welcome series goes on after a first order: the second email still makes sense.
    exitOnOrder: false,
    steps: [
      email("welcomeSubject", "welcomeBody"),
      { kind: "wait", hours: 72 },
      email("favouritesSubject", "favouritesBody"),
    ],
  },
  abandoned_checkout: {
    key: "abandoned_checkout",
    name: "Abandoned checkout",
    trigger: { type: "checkout_abandoned", afterHours: 4 },
    exitOnOrder: true,
    steps: [
      email("leftBehindSubject", "leftBehindBody"),
      { kind: "wait", hours: 24 },
      email("thinkingItOverSubject", "cartSavedBody"),
    ],
  },
  post_purchase: {
    key: "post_purchase",
    name: "Post-purchase cross-sell",
    trigger: { type: "order_paid", afterDays: 14 },
    exitOnOrder: true,
    steps: [email("gettingOnSubject", "gettingOnBody")],
  },
  winback: {
    key: "winback",
    name: "Win-back",
    trigger: { type: "lifecycle_entered", stage: "at_risk" },
    exitOnOrder: true,
    steps: [
      { ...email("missYouSubject", "missYouBody"), discount: FIRST_OFFER },
      { kind: "wait", hours: 24 * 7 },
      {
        kind: "condition",
        condition: { type: "ordered_since_entry" },
        ifTrue: "exit",
        ifFalse: 3,
      },
      { kind: "tag", add: ["rekindle-winback"], remove: [] },
    ],
  },
  predicted_overdue: {
    key: "predicted_overdue",
    name: "Next order overdue",
    trigger: { type: "predicted_overdue", maxProbAlive: 0.6 },
    exitOnOrder: true,
    steps: [{ kind: "wait_until", hour: 10 }, email("topUpSubject", "topUpBody")],
  },
  browse_abandoned: {
    key: "browse_abandoned",
    name: "Browse abandonment",
    trigger: { type: "browse_abandoned", views: 2, days: 3 },
    exitOnOrder: true,
    steps: [{ kind: "wait", hours: 2 }, email("thinkingItOverSubject", "hadALookBody")],
  },
};

/**
 * A flow's name as the admin shows it: while it is still the name its template gave it (with
 * the number a second one gets), the template's name in the admin's language.
 */
export function flowNameIn(
  flow: { name: string; templateKey: string | null },
  templateName: (key: FlowTemplateKey) => string,
): string {
  const template = FLOW_TEMPLATES[flow.templateKey as FlowTemplateKey] as FlowTemplate | undefined;
  if (!template) return flow.name;
  if (flow.name === template.name) return templateName(template.key);
  const number = flow.name.slice(template.name.length + 1);
  return flow.name.startsWith(`${template.name} `) && /^\d+$/.test(number)
    ? `${templateName(template.key)} ${number}`
    : flow.name;
}
