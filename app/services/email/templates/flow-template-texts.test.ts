import { describe, expect, it } from "vitest";
import { EMAIL_LANGUAGES } from "./built-in-texts";
import type { FlowStep } from "~/services/flows/flow-definition";
import {
  FLOW_TEMPLATE_TEXTS,
  FLOW_TEXT_IDS,
  flowStepsIn,
  flowStepsToStore,
  flowTextIn,
} from "./flow-template-texts";
import { FLOW_TEMPLATE_KEYS, FLOW_TEMPLATES, flowNameIn } from "~/services/flows/flow-templates";

const placeholders = (text: string) => [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]);

describe("flow template texts", () => {
  it("has every text in every language, translated, with the English placeholders", () => {
    for (const language of EMAIL_LANGUAGES) {
      for (const id of FLOW_TEXT_IDS) {
        const text = FLOW_TEMPLATE_TEXTS[language][id];
        expect(placeholders(text).sort(), `${language} ${id}`).toEqual(
          placeholders(FLOW_TEMPLATE_TEXTS.en[id]).sort(),
        );
        if (language !== "en")
          expect(text, `${language} ${id}`).not.toBe(FLOW_TEMPLATE_TEXTS.en[id]);
      }
    }
  });

  it("shows a template's email in the reader's language until the merchant edits it", () => {
    // GIVEN the win-back template's first email as stored, and one whose subject was edited
    const stored = FLOW_TEMPLATES.winback.steps[0] as Extract<FlowStep, { kind: "email" }>;
    const edited = { ...stored, subject: "Come back, we kept your size" };
    // WHEN a Persian admin (or customer) reads them
    const [shown, shownEdited] = flowStepsIn([stored, edited], "fa");
    // THEN the unedited texts are Persian, the merchant's subject is as written
    expect(shown).toMatchObject({
      subject: FLOW_TEMPLATE_TEXTS.fa.missYouSubject,
      body: FLOW_TEMPLATE_TEXTS.fa.missYouBody,
    });
    expect(shownEdited).toMatchObject({
      subject: "Come back, we kept your size",
      body: FLOW_TEMPLATE_TEXTS.fa.missYouBody,
    });
    expect(flowTextIn(stored.subject, "xx")).toBe(stored.subject);
  });

  it("stores texts saved unchanged from a Persian editor as the template's, edits as written", () => {
    // GIVEN the steps a Persian editor showed, one text changed by the merchant
    const shown = flowStepsIn(FLOW_TEMPLATES.welcome.steps, "fa");
    const saved = shown.map((step, index) =>
      index === 2 && step.kind === "email" ? { ...step, body: "متن خودم" } : step,
    );
    // WHEN they are saved
    const stored = flowStepsToStore(saved, "fa");
    // THEN the untouched texts are the English template's again (they follow each reader)
    expect(stored[0]).toEqual(FLOW_TEMPLATES.welcome.steps[0]);
    expect(stored[2]).toMatchObject({
      subject: FLOW_TEMPLATE_TEXTS.en.favouritesSubject,
      body: "متن خودم",
    });
    expect(flowStepsIn(stored, "ms")[2]).toMatchObject({
      subject: FLOW_TEMPLATE_TEXTS.ms.favouritesSubject,
      body: "متن خودم",
    });
  });
});

describe("flow names", () => {
  const inPersian = (key: string) => `نام ${key}`;

  it("names a template's flow in the admin's language, with its number, until renamed", () => {
    for (const key of FLOW_TEMPLATE_KEYS) {
      const { name } = FLOW_TEMPLATES[key];
      expect(flowNameIn({ name, templateKey: key }, inPersian)).toBe(`نام ${key}`);
      expect(flowNameIn({ name: `${name} 2`, templateKey: key }, inPersian)).toBe(`نام ${key} 2`);
    }
    expect(flowNameIn({ name: "Win-back VIPs", templateKey: "winback" }, inPersian)).toBe(
      "Win-back VIPs",
    );
    expect(flowNameIn({ name: "My flow", templateKey: null }, inPersian)).toBe("My flow");
  });
});
