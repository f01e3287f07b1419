/**
 * A shop's branded email layout as stored (email_template.document): which blocks, in which
 * order, their texts per customer language and the merchant's brand. Pure: the editor's action
 * and the renderer both validate with it, so a template that would send literal `{{typos}}` or a
 * broken image is refused with the field it is about, and never sent.
 */
import { message, type Message } from "~/i18n/message";
import { placeholderProblems } from "../render-template";
import { BUILT_IN_TEXTS, EMAIL_LANGUAGES, type EmailLanguage } from "./built-in-texts";

/** The blocks a merchant can choose and order; the footer (address, unsubscribe) always ends it. */
export const BLOCK_KINDS = [
  "header",
  "heading",
  "text",
  "products",
  "discount",
  "last_order",
  "button",
] as const;
export type BlockKind = (typeof BLOCK_KINDS)[number];

/** The texts a merchant can write per language; each may use the email placeholders. */
export const TEXT_FIELDS = [
  "subject",
  "heading",
  "text",
  "productsTitle",
  "discountTitle",
  "lastOrderTitle",
  "buttonLabel",
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export type TemplateTexts = Record<TextField, string>;

/** Fields a customer reads on one line (a subject or a title): no line breaks. */
const ONE_LINE_FIELDS: ReadonlySet<TextField> = new Set(
  TEXT_FIELDS.filter((field) => field !== "text"),
);
export const TEXT_MAX_LENGTH: Record<TextField, number> = {
  subject: 150,
  heading: 150,
  text: 5_000,
  productsTitle: 80,
  discountTitle: 80,
  lastOrderTitle: 80,
  buttonLabel: 40,
};
export const MIN_PRODUCTS = 1;
export const MAX_PRODUCTS = 6;

const HEX_COLOUR = /^#[0-9a-f]{6}$/i;

export interface TemplateBrand {
  /** An https address of the logo image; empty: the header shows the shop's name instead. */
  logoUrl: string;
  /** The button's and the titles' colour. */
  accentColor: string;
  /** Behind the email's content. */
  backgroundColor: string;
}

export interface TemplateDocument {
  blocks: BlockKind[];
  productCount: number;
  brand: TemplateBrand;
  /** The language a customer gets when theirs has no texts. */
  defaultLanguage: EmailLanguage;
  /** What the merchant wrote, per language; an empty or absent field uses the built-in text. */
  texts: Partial<Record<EmailLanguage, Partial<TemplateTexts>>>;
}

export const DEFAULT_TEMPLATE: TemplateDocument = {
  blocks: ["header", "heading", "text", "discount", "products", "last_order", "button"],
  productCount: 3,
  brand: { logoUrl: "", accentColor: "#1f6f5c", backgroundColor: "#f4f4f0" },
  defaultLanguage: "en",
  texts: {},
};

/** `texts.<language>.<field>`, `brand.<field>`, `blocks` or `productCount`. */
export type TemplateFieldPath = string;

export interface TemplateProblem {
  field: TemplateFieldPath;
  problem: Message;
}

/** Every problem a merchant must fix before the template can be saved or sent. */
export function templateProblems(document: TemplateDocument): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  if (new Set(document.blocks).size !== document.blocks.length) {
    problems.push({ field: "blocks", problem: message("emailTemplate.errors.blockTwice") });
  }
  if (!document.blocks.some((block) => block === "text" || block === "heading")) {
    problems.push({ field: "blocks", problem: message("emailTemplate.errors.needsText") });
  }
  if (document.productCount < MIN_PRODUCTS || document.productCount > MAX_PRODUCTS) {
    problems.push({
      field: "productCount",
      problem: message("fieldErrors.wholeNumberRange", { min: MIN_PRODUCTS, max: MAX_PRODUCTS }),
    });
  }
  const { logoUrl, accentColor, backgroundColor } = document.brand;
  if (logoUrl && !isHttpsUrl(logoUrl)) {
    problems.push({ field: "brand.logoUrl", problem: message("emailTemplate.errors.logoUrl") });
  }
  for (const [field, value] of [
    ["brand.accentColor", accentColor],
    ["brand.backgroundColor", backgroundColor],
  ] as const) {
    if (!HEX_COLOUR.test(value)) {
      problems.push({ field, problem: message("emailTemplate.errors.colour") });
    }
  }
  for (const language of EMAIL_LANGUAGES) {
    const texts = document.texts[language] ?? {};
    for (const field of TEXT_FIELDS) {
      const value = texts[field] ?? "";
      const path = `texts.${language}.${field}`;
      if (value.length > TEXT_MAX_LENGTH[field]) {
        problems.push({
          field: path,
          problem: message("fieldErrors.tooLong", { max: TEXT_MAX_LENGTH[field] }),
        });
      }
      if (ONE_LINE_FIELDS.has(field) && /[\r\n]/.test(value)) {
        problems.push({ field: path, problem: message("fieldErrors.noLineBreaks") });
      }
      for (const { problem } of placeholderProblems(value)) problems.push({ field: path, problem });
    }
  }
  return problems;
}

/**
 * What a saved template lacks that the merchant should know before sending, without blocking
 * the save: no logo (the header shows the shop's name instead).
 */
export function templateNotices(document: TemplateDocument): TemplateProblem[] {
  return document.blocks.includes("header") && !document.brand.logoUrl
    ? [{ field: "brand.logoUrl", problem: message("emailTemplate.notices.noLogo") }]
    : [];
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === "https:" && !/[\s"'<>]/.test(value);
  } catch {
    return false;
  }
}

/**
 * The language whose texts a customer gets: theirs as Shopify stores it (`pt-BR`), else its
 * language (`pt`), else the template's default.
 */
export function emailLanguageFor(
  customerLocale: string | null,
  document: Pick<TemplateDocument, "defaultLanguage">,
): EmailLanguage {
  const wanted = (customerLocale ?? "").trim();
  const exact = EMAIL_LANGUAGES.find((language) => language.toLowerCase() === wanted.toLowerCase());
  if (exact) return exact;
  const base = wanted.split(/[-_]/)[0]?.toLowerCase() ?? "";
  return (
    EMAIL_LANGUAGES.find((language) => language.split("-")[0]?.toLowerCase() === base) ??
    document.defaultLanguage
  );
}

/**
 * Every text in `language`, field by field: the merchant's text in that language, else their
 * text in the default language, else the built-in text of that language.
 */
export function textsFor(document: TemplateDocument, language: EmailLanguage): TemplateTexts {
  const own = document.texts[language] ?? {};
  const fallback = document.texts[document.defaultLanguage] ?? {};
  return Object.fromEntries(
    TEXT_FIELDS.map((field) => [
      field,
      nonEmpty(own[field]) ?? nonEmpty(fallback[field]) ?? BUILT_IN_TEXTS[language][field],
    ]),
  ) as TemplateTexts;
}

const nonEmpty = (value: string | undefined) => (value?.trim() ? value : undefined);
