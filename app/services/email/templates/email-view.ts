/**
 * One customer's email as it will be drawn: the template's blocks in order with everything
 * resolved (texts filled and made safe, prices formatted, links built). Pure, so the HTML part
 * (branded-email.tsx) and the text part (email-text.ts) show exactly the same content, and a
 * block with nothing to show (no products, no code, no past order) is left out of both.
 */
import {
  fillSubject,
  safePlaceholderValues,
  textPieces,
  type EmailTemplateValues,
  type Piece,
} from "../render-template";
import { BUILT_IN_TEXTS, isRightToLeft, type EmailLanguage } from "./built-in-texts";
import { discountDescription, type DiscountTermsText } from "./discount-description";
import { textsFor, type BlockKind, type TemplateDocument } from "./template-document";

export interface ShopBrandInfo {
  shopName: string;
  /** One line; empty when Shopify has none. */
  address: string;
  /** `https://shop.example` without a trailing slash. */
  storefrontUrl: string;
}

export interface EmailProduct {
  id: string;
  title: string;
  handle: string;
  /** Decimal string in the shop's currency, or null when no variant is for sale. */
  price: string | null;
  imageUrl: string | null;
}

export interface EmailOrderLine {
  title: string;
  quantity: number;
  imageUrl: string | null;
}

export interface EmailOffer {
  code: string;
  /** "15% off your next order", as the caller worded it (a win-back rule's, in English). */
  discountText: string;
  /** What the code gives, worded in the email's language in place of `discountText`. */
  terms?: DiscountTermsText;
  expiresAt: Date | null;
}

/** What is known about the customer and the shop when the email is built. */
export interface EmailFacts {
  language: EmailLanguage;
  firstName: string;
  currency: string;
  timeZone: string;
  brand: ShopBrandInfo;
  products: readonly EmailProduct[];
  lastOrder: { name: string; lines: readonly EmailOrderLine[] } | null;
  offer: EmailOffer | null;
  unsubscribeUrl: string;
  /** The caller's message replaces the template's subject and text (a win-back rule's). */
  message?: { subject: string; body: string } | null;
  /** Rewrites a link the customer can follow (e.g. for click tracking); identity by default. */
  linkFor?: (url: string, block: BlockKind) => string;
}

export type ViewBlock =
  | { kind: "header"; logoUrl: string; shopName: string; url: string }
  | { kind: "heading"; text: string }
  | { kind: "text"; pieces: Piece[] }
  | {
      kind: "products";
      title: string;
      products: Array<{
        title: string;
        price: string | null;
        imageUrl: string | null;
        url: string;
      }>;
    }
  | { kind: "discount"; title: string; code: string; description: string; expires: string }
  | {
      kind: "last_order";
      title: string;
      orderName: string;
      quantityLabel: string;
      lines: EmailOrderLine[];
    }
  | { kind: "button"; label: string; url: string };

export interface EmailView {
  language: EmailLanguage;
  dir: "ltr" | "rtl";
  subject: string;
  /** The inbox's preview line. */
  preheader: string;
  accentColor: string;
  backgroundColor: string;
  blocks: ViewBlock[];
  footer: { shopName: string; address: string; reason: string; unsubscribe: string; url: string };
  /** Blocks the template has that had nothing to show for this customer. */
  omitted: BlockKind[];
}

/**
 * Intl formatters by language and zone or currency, made once: building one costs more than
 * the rest of a customer's view, and a run renders thousands of views with a handful of them.
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function formatter<F extends Intl.DateTimeFormat | Intl.NumberFormat>(
  key: string,
  make: () => F,
): F {
  let made = formatters.get(key) as F | undefined;
  if (!made) {
    made = make();
    formatters.set(key, made);
  }
  return made;
}

/** Builds the view; `document` must have passed templateProblems (the renderer checks). */
/**
 * The template's blocks, with the code's block after the message when the email gives a code
 * and the merchant's layout has none: a customer must see the code they were promised.
 */
function blockOrder(blocks: readonly BlockKind[], hasOffer: boolean): readonly BlockKind[] {
  if (!hasOffer || blocks.includes("discount")) return blocks;
  const after = Math.max(blocks.lastIndexOf("text"), blocks.lastIndexOf("heading"));
  return [...blocks.slice(0, after + 1), "discount", ...blocks.slice(after + 1)];
}

export function emailView(document: TemplateDocument, facts: EmailFacts): EmailView {
  const { language, brand } = facts;
  const texts = textsFor(document, language);
  const fixed = BUILT_IN_TEXTS[language];
  const link = (url: string, block: BlockKind) => facts.linkFor?.(url, block) ?? url;
  const dates = formatter(
    `date:${language}:${facts.timeZone}`,
    () => new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: facts.timeZone }),
  );
  const money = formatter(
    `money:${language}:${facts.currency}`,
    () => new Intl.NumberFormat(language, { style: "currency", currency: facts.currency }),
  );
  const offer = facts.offer;
  const values: EmailTemplateValues = safePlaceholderValues({
    first_name: facts.firstName,
    code: offer?.code ?? "",
    discount: offer?.terms
      ? discountDescription(offer.terms, language, (amount) => money.format(amount))
      : (offer?.discountText ?? ""),
    expires_on: offer?.expiresAt ? dates.format(offer.expiresAt) : "",
    shop_name: brand.shopName,
    unsubscribe_url: facts.unsubscribeUrl,
  });
  const shopUrl = brand.storefrontUrl;
  // Shopify's /discount/<code> link applies the code to the visitor's cart on the way in.
  const buttonTarget = facts.offer
    ? `${shopUrl}/discount/${encodeURIComponent(facts.offer.code)}`
    : shopUrl;

  const omitted: BlockKind[] = [];
  const blocks: ViewBlock[] = [];
  for (const kind of blockOrder(document.blocks, facts.offer !== null)) {
    const block = viewBlock(kind);
    if (block) blocks.push(block);
    else omitted.push(kind);
  }

  function viewBlock(kind: BlockKind): ViewBlock | null {
    switch (kind) {
      case "header":
        return {
          kind,
          logoUrl: document.brand.logoUrl,
          shopName: brand.shopName,
          url: link(shopUrl, kind),
        };
      case "heading": {
        const text = fillSubject(texts.heading, values);
        return text ? { kind, text } : null;
      }
      case "text": {
        const pieces = textPieces(facts.message?.body ?? texts.text, values);
        return pieces.length > 0 ? { kind, pieces } : null;
      }
      case "products": {
        const products = facts.products.slice(0, document.productCount);
        if (products.length === 0) return null;
        return {
          kind,
          title: fillSubject(texts.productsTitle, values),
          products: products.map((product) => ({
            title: product.title,
            price: product.price === null ? null : money.format(Number(product.price)),
            imageUrl: product.imageUrl,
            url: link(`${shopUrl}/products/${encodeURIComponent(product.handle)}`, kind),
          })),
        };
      }
      case "discount":
        if (!facts.offer) return null;
        return {
          kind,
          title: fillSubject(texts.discountTitle, values),
          code: values.code,
          description: values.discount,
          expires: values.expires_on ? fillSubject(fixed.expiresOn, values) : "",
        };
      case "last_order":
        if (!facts.lastOrder || facts.lastOrder.lines.length === 0) return null;
        return {
          kind,
          title: fillSubject(texts.lastOrderTitle, values),
          orderName: facts.lastOrder.name,
          quantityLabel: fixed.quantity,
          lines: [...facts.lastOrder.lines],
        };
      case "button":
        return {
          kind,
          label: fillSubject(texts.buttonLabel, values),
          url: link(buttonTarget, kind),
        };
    }
  }

  const subject = fillSubject(facts.message?.subject ?? texts.subject, values);
  const firstText = blocks.find((block) => block.kind === "text");
  return {
    language,
    dir: isRightToLeft(language) ? "rtl" : "ltr",
    subject,
    preheader:
      firstText?.kind === "text"
        ? firstText.pieces
            .map((piece) => (piece.kind === "text" ? piece.value : piece.label))
            .join("")
            .replace(/\s+/g, " ")
            .slice(0, 140)
        : subject,
    accentColor: document.brand.accentColor,
    backgroundColor: document.brand.backgroundColor,
    blocks,
    footer: {
      shopName: brand.shopName,
      address: brand.address,
      reason: fillSubject(fixed.footerReason, values),
      unsubscribe: fixed.unsubscribe,
      url: facts.unsubscribeUrl,
    },
    omitted,
  };
}
