/**
 * The home page's setup guide as steps, from the shop's facts and its theme's app embed: shared
 * by the server and the page, which receives the theme's answer streamed after the facts.
 */
import type { AppEmbedState } from "~/services/onboarding/app-embed-state.server";
import type { ImportProgress } from "~/services/sync/sync-status.server";

/** The steps, in the order the merchant should take them. */
export const SETUP_STEPS = [
  "import",
  "storefront",
  "segment",
  "winbackRule",
  "emailSender",
] as const;
export type SetupStepKey = (typeof SETUP_STEPS)[number];

/** What the database says about each step, and whether the merchant closed the guide. */
export interface SetupFacts {
  dismissed: boolean;
  import: ImportProgress;
  segments: number;
  /** Rules switched on, and rules still drafts or paused. */
  rules: { active: number; inactive: number };
  emailSender: "missing" | "unverified" | "verified";
}

/** The storefront step's state: the theme's answer, or `checking` until it arrives. */
export type StorefrontState = AppEmbedState | "checking";

export interface SetupGuide extends SetupFacts {
  appEmbed: StorefrontState;
  steps: Array<{ key: SetupStepKey; done: boolean }>;
  doneCount: number;
}

export function setupGuide(facts: SetupFacts, appEmbed: StorefrontState): SetupGuide {
  const steps: SetupGuide["steps"] = [
    { key: "import", done: facts.import.state === "done" },
    { key: "storefront", done: appEmbed === "on" },
    { key: "segment", done: facts.segments > 0 },
    { key: "winbackRule", done: facts.rules.active > 0 },
    { key: "emailSender", done: facts.emailSender === "verified" },
  ];
  return {
    ...facts,
    appEmbed,
    steps,
    doneCount: steps.filter((step) => step.done).length,
  };
}
