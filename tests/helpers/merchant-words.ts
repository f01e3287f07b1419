/**
 * What must not reach a merchant's screen: a stored value's own name (an enum such as
 * `at_risk`, a column such as `last_order_at`) or a raw machine date (`2026-11-20T15:04`,
 * `2026-11-20`, `2026-07`). Words the merchant types themselves are allowed: an email
 * placeholder (`{{first_name}}`) and the segment language's field and function names, which
 * its help quotes as examples.
 */
import { EMAIL_PLACEHOLDERS } from "~/services/email/render-template";
import { SEGMENT_FIELDS, SEGMENT_FUNCTIONS } from "~/services/segments/language/fields";

const SNAKE_CASE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g;
const MACHINE_DATE = /\b\d{4}-\d{2}(?:-\d{2})?(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?Z?)?\b/g;
const TYPED_WORDS = new Set<string>([
  ...EMAIL_PLACEHOLDERS,
  ...[...SEGMENT_FIELDS, ...SEGMENT_FUNCTIONS].map((word) => word.name),
]);

/** The text a page shows, from its server-rendered markup: no scripts, styles, tags or entities. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

/** Each token in `text` a merchant should not read, with a few words around it. */
export function machineWords(text: string): string[] {
  // Addresses and links are the customer's and the shop's own.
  const shown = text.replace(/\S+@\S+|https?:\/\/\S+/g, " ");
  const found: string[] = [];
  for (const pattern of [SNAKE_CASE, MACHINE_DATE]) {
    for (const match of shown.matchAll(pattern)) {
      if (TYPED_WORDS.has(match[0])) continue;
      const at = match.index ?? 0;
      found.push(`${match[0]} in "…${shown.slice(Math.max(0, at - 40), at + 40)}…"`);
    }
  }
  return found;
}
