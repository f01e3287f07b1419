/**
 * The classic flows a merchant turns on in one click (the five of the brief, and browse
 * abandonment from the web pixel's views). Texts are the starting point the
 * merchant edits; placeholders are those of the email renderer ({{first_name}}, {{shop_name}},
 * {{unsubscribe_url}}).
 */
import type { FlowStep, FlowTrigger } from "./flow-definition";

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

const FOOTER = "\n\n{{shop_name}}\nUnsubscribe: {{unsubscribe_url}}";

export const FLOW_TEMPLATES: Record<FlowTemplateKey, FlowTemplate> = {
  welcome: {
    key: "welcome",
    name: "Welcome series",
    trigger: { type: "customer_created" },
    // A welcome series goes on after a first order: the second email still makes sense.
    exitOnOrder: false,
    steps: [
      {
        kind: "email",
        subject: "Welcome to {{shop_name}}",
        body: `Hi {{first_name}},\n\nThanks for joining us. Here is what we are about.${FOOTER}`,
      },
      { kind: "wait", hours: 72 },
      {
        kind: "email",
        subject: "Our customers' favourites",
        body: `Hi {{first_name}},\n\nThese are the products our customers come back for.${FOOTER}`,
      },
    ],
  },
  abandoned_checkout: {
    key: "abandoned_checkout",
    name: "Abandoned checkout",
    trigger: { type: "checkout_abandoned", afterHours: 4 },
    exitOnOrder: true,
    steps: [
      {
        kind: "email",
        subject: "You left something behind",
        body: `Hi {{first_name}},\n\nYour cart is still waiting for you.${FOOTER}`,
      },
      { kind: "wait", hours: 24 },
      {
        kind: "email",
        subject: "Still thinking it over?",
        body: `Hi {{first_name}},\n\nYour cart is saved. Questions? Just reply to this email.${FOOTER}`,
      },
    ],
  },
  post_purchase: {
    key: "post_purchase",
    name: "Post-purchase cross-sell",
    trigger: { type: "order_paid", afterDays: 14 },
    exitOnOrder: true,
    steps: [
      {
        kind: "email",
        subject: "How are you getting on?",
        body: `Hi {{first_name}},\n\nWe hope you love your order. Customers who bought it also liked these.${FOOTER}`,
      },
    ],
  },
  winback: {
    key: "winback",
    name: "Win-back",
    trigger: { type: "lifecycle_entered", stage: "at_risk" },
    exitOnOrder: true,
    steps: [
      {
        kind: "email",
        subject: "We miss you at {{shop_name}}",
        body: `Hi {{first_name}},\n\nIt has been a while. Here is what is new since your last visit.${FOOTER}`,
      },
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
    steps: [
      { kind: "wait_until", hour: 10 },
      {
        kind: "email",
        subject: "Time for a top-up?",
        body: `Hi {{first_name}},\n\nIt is about the time you usually order again.${FOOTER}`,
      },
    ],
  },
  browse_abandoned: {
    key: "browse_abandoned",
    name: "Browse abandonment",
    trigger: { type: "browse_abandoned", views: 2, days: 3 },
    exitOnOrder: true,
    steps: [
      { kind: "wait", hours: 2 },
      {
        kind: "email",
        subject: "Still thinking it over?",
        body: `Hi {{first_name}},\n\nYou had a look at something you liked. Here it is, with a few others you might like too.${FOOTER}`,
      },
    ],
  },
};
