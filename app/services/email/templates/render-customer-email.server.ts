/**
 * The one entry for sending a branded email to a customer (win-back runs, flows, the editor's
 * preview and test): loads the shop's template, its cached details, the customer's language,
 * last order and recommended products, and renders the HTML and text parts. The caller sends
 * the result with sendEmail, passing `unsubscribeUrl` on, which becomes the RFC 8058
 * List-Unsubscribe and List-Unsubscribe-Post headers.
 *
 * Nothing broken is rendered: a template or message with problems throws (InvalidBrandedTemplateError,
 * InvalidEmailTemplateError) instead; a block with nothing to show for this customer (no
 * products available, no code, no past order) is left out and named in `omitted`.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { InvalidEmailTemplateError, validateEmailTemplate } from "../render-template";
import { flowTextIn } from "./flow-template-texts";
import { unsubscribeUrl } from "../unsubscribe-token.server";
import { BrandedEmail } from "./branded-email";
import { loadShopBrand } from "./brand-store.server";
import { loadCustomerFacts, type CustomerFacts } from "./customer-facts.server";
import { emailText } from "./email-text";
import { emailView, type EmailOffer } from "./email-view";
import { readAheadRecommendations, recommendedProducts } from "./recommended-products.server";
import type { KnownShopper } from "~/services/recommendations/recommend.server";
import type { EmailLanguage } from "./built-in-texts";
import {
  emailLanguageFor,
  templateProblems,
  type BlockKind,
  type TemplateDocument,
} from "./template-document";
import { InvalidBrandedTemplateError, loadEmailTemplate } from "./template-store.server";

export interface RenderCustomerEmailInput {
  sql: SqlQueryable;
  shopId: number;
  customerId: bigint;
  /** A stored template's key (default `winback`), or a document not saved yet (the preview). */
  template?: string | TemplateDocument;
  /** The language to render in instead of the customer's own (the editor's language switch). */
  locale?: string | null;
  /** Replaces the template's subject and text block (a win-back rule's subject and body). */
  message?: { subject: string; body: string } | null;
  /** The customer's discount code, made by the caller (winbackDiscountCode). */
  offer?: EmailOffer | null;
  /** The customer's facts when the caller read them already (a flow worker's batch). */
  facts?: CustomerFacts;
  /** What the products block reads about the customer, when read ahead for a batch. */
  shopper?: KnownShopper;
  now: Date;
  links?: {
    /** Rewrites each link a customer can follow (click tracking); the unsubscribe link excepted. */
    linkFor?: (url: string, block: BlockKind) => string;
  };
}

export interface RenderedCustomerEmail {
  /** The customer's address (null when Shopify has none): the caller decides whether to send. */
  to: string | null;
  /** Email marketing consent as stored (`subscribed`, …); the caller must check it. */
  consent: string;
  subject: string;
  html: string;
  text: string;
  /** For sendEmail: the footer's link and the List-Unsubscribe header. */
  unsubscribeUrl: string;
  language: EmailLanguage;
  /** Blocks left out for this customer because they had nothing to show. */
  omitted: BlockKind[];
}

/** The doctype email clients expect, as @react-email/render writes it. */
const XHTML_DOCTYPE =
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

/** What readAheadCustomerEmails read about one customer, for renderCustomerEmail's `shopper`. */
export type ReadAheadCustomer = KnownShopper;

/**
 * What renderCustomerEmail would read per customer for the shop's stored template `template`,
 * read ahead for many customers (a flow worker's batch), by customer id: the products block's
 * signals, when the template has that block. Pass each customer's entry as `shopper`.
 */
export async function readAheadCustomerEmails(
  sql: SqlQueryable,
  shopId: number,
  customerIds: readonly bigint[],
  now: Date,
  template?: string,
): Promise<Map<string, ReadAheadCustomer>> {
  if (customerIds.length === 0) return new Map();
  const document = await loadEmailTemplate(sql, shopId, template);
  return document.blocks.includes("products")
    ? readAheadRecommendations(sql, shopId, customerIds, now)
    : new Map();
}

export async function renderCustomerEmail(
  input: RenderCustomerEmailInput,
): Promise<RenderedCustomerEmail> {
  const { sql, shopId, customerId, now } = input;
  const document =
    typeof input.template === "object"
      ? input.template
      : await loadEmailTemplate(sql, shopId, input.template);
  const problems = templateProblems(document);
  if (problems.length > 0) throw new InvalidBrandedTemplateError(problems);
  if (input.message) {
    const errors = validateEmailTemplate(input.message);
    if (errors.length > 0) throw new InvalidEmailTemplateError(errors);
  }
  const [facts, brand, products] = await Promise.all([
    input.facts ?? loadCustomerFacts(sql, shopId, customerId),
    loadShopBrand(sql, shopId),
    document.blocks.includes("products")
      ? recommendedProducts(sql, shopId, customerId, document.productCount, now, input.shopper)
      : [],
  ]);
  const language = emailLanguageFor(input.locale ?? facts.locale, document);
  const unsubscribe = unsubscribeUrl(facts.shopDomain, customerId);
  const view = emailView(document, {
    language,
    firstName: facts.firstName,
    currency: facts.currency,
    timeZone: facts.timeZone,
    brand,
    products,
    lastOrder: facts.lastOrder,
    offer: input.offer ?? null,
    unsubscribeUrl: unsubscribe,
    // A flow template's text the merchant left as it came goes out in the customer's language.
    message: input.message
      ? {
          subject: flowTextIn(input.message.subject, language),
          body: flowTextIn(input.message.body, language),
        }
      : null,
    linkFor: input.links?.linkFor,
  });
  // React's static markup, not @react-email/render: that streams through a Suspense boundary
  // and imports react-dom/server again on every call, which took more than twice as long, and
  // it leaves React's hydration comments in the email. The markup is otherwise the same.
  const html = XHTML_DOCTYPE + renderToStaticMarkup(createElement(BrandedEmail, { view }));
  return {
    to: facts.email,
    consent: facts.consent,
    subject: view.subject,
    html,
    text: emailText(view),
    unsubscribeUrl: unsubscribe,
    language,
    omitted: view.omitted,
  };
}
