/**
 * Win-back email templates: a merchant writes a subject and a plain-text body with
 * `{{placeholders}}`; this renders the subject, a text part and a simple HTML part.
 *
 * Placeholder values come partly from customers (their first name), so they are never trusted:
 * control characters (CR/LF included) become spaces everywhere, values are HTML-escaped in the
 * HTML part, and only links the merchant wrote (or our own unsubscribe URL) become <a> tags, so
 * a first name like "https://evil.example" stays text. Pure and browser-safe: the rules editor
 * can validate as the merchant types.
 */
import { InvalidInputError } from "~/lib/errors";
import { message, type Message } from "~/i18n/message";

export const EMAIL_PLACEHOLDERS = [
  "first_name",
  "code",
  "discount",
  "expires_on",
  "shop_name",
  "unsubscribe_url",
] as const;

export type EmailPlaceholder = (typeof EMAIL_PLACEHOLDERS)[number];

export type EmailTemplateValues = Record<EmailPlaceholder, string>;

export interface EmailTemplate {
  subject: string;
  body: string;
}

export interface RenderedEmail {
  /** One line: no CR/LF can reach the Subject header. */
  subject: string;
  text: string;
  html: string;
}

export interface TemplateError {
  field: "subject" | "body";
  /** The placeholder as written (without braces), when the error is about one. */
  placeholder?: string;
  /** What is wrong, for the page to put in the merchant's language. */
  problem: Message;
}

export const SUBJECT_MAX_LENGTH = 150;
export const BODY_MAX_LENGTH = 10_000;

/** `{{ name }}`; the name is checked separately so a typo gets a message, not silence. */
export const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
// Everything but tab and newline; a value or subject carrying these could forge header lines
// or invisible text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const ANY_LINE_BREAK_OR_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

export const isPlaceholder = (name: string): name is EmailPlaceholder =>
  (EMAIL_PLACEHOLDERS as readonly string[]).includes(name);

/** Every problem in a template, each naming its field and, where relevant, the placeholder. */
export function validateEmailTemplate(template: EmailTemplate): TemplateError[] {
  const errors: TemplateError[] = [];
  const subject = template.subject.trim();
  const body = template.body.trim();
  if (!subject) errors.push({ field: "subject", problem: message("fieldErrors.required") });
  if (subject.length > SUBJECT_MAX_LENGTH) {
    errors.push({
      field: "subject",
      problem: message("fieldErrors.tooLong", { max: SUBJECT_MAX_LENGTH }),
    });
  }
  if (!body) errors.push({ field: "body", problem: message("fieldErrors.required") });
  if (body.length > BODY_MAX_LENGTH) {
    errors.push({
      field: "body",
      problem: message("fieldErrors.tooLong", { max: BODY_MAX_LENGTH }),
    });
  }
  for (const field of ["subject", "body"] as const) {
    for (const problem of placeholderProblems(template[field])) errors.push({ field, ...problem });
  }
  return errors;
}

/**
 * What is wrong with the placeholders of one text: unknown names (with a "did you mean") and
 * unclosed braces. Shared by the win-back rule's texts and the branded template's blocks.
 */
export function placeholderProblems(
  source: string,
): Array<{ placeholder?: string; problem: Message }> {
  const problems: Array<{ placeholder?: string; problem: Message }> = [];
  for (const match of source.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? "";
    if (isPlaceholder(name)) continue;
    const suggestion = closestPlaceholder(name);
    problems.push({
      placeholder: name,
      problem: message(
        suggestion ? "fieldErrors.unknownPlaceholderSuggestion" : "fieldErrors.unknownPlaceholder",
        {
          placeholder: `{{${name}}}`,
          ...(suggestion ? { suggestion: `{{${suggestion}}}` } : {}),
          available: EMAIL_PLACEHOLDERS.map((p) => `{{${p}}}`).join(", "),
        },
      ),
    });
  }
  // What is left after removing whole placeholders: a stray `{{` or `}}` is a typo that
  // would otherwise reach customers as literal braces.
  const rest = source.replace(PLACEHOLDER, "");
  if (rest.includes("{{") || rest.includes("}}")) {
    problems.push({
      problem: message("fieldErrors.placeholderNotClosed", { example: "{{first_name}}" }),
    });
  }
  return problems;
}

/** The known placeholder within two edits of `name`, for "did you mean". */
function closestPlaceholder(name: string): EmailPlaceholder | null {
  const wanted = name.toLowerCase().replace(/[\s-]+/g, "_");
  let best: EmailPlaceholder | null = null;
  let bestDistance = 3;
  for (const candidate of EMAIL_PLACEHOLDERS) {
    const distance = editDistance(wanted, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Thrown by renderEmailTemplate for a template that does not validate. */
export class InvalidEmailTemplateError extends InvalidInputError {
  constructor(readonly errors: TemplateError[]) {
    super(
      `Invalid email template: ${errors.map((error) => `${error.field} ${error.problem.key}`).join(", ")}`,
    );
  }
}

export type Piece = { kind: "text"; value: string } | { kind: "link"; href: string; label: string };

/**
 * Renders a template for one customer. An invalid template throws InvalidEmailTemplateError
 * rather than sending literal `{{typos}}` to customers. A body without `{{unsubscribe_url}}`
 * gets an unsubscribe footer anyway.
 */
export function renderEmailTemplate(
  template: EmailTemplate,
  values: EmailTemplateValues,
): RenderedEmail {
  const errors = validateEmailTemplate(template);
  if (errors.length > 0) throw new InvalidEmailTemplateError(errors);
  const safe = safePlaceholderValues(values);
  const subject = fillSubject(template.subject, safe);
  const pieces = textPieces(template.body, safe);
  let text = pieces.map((piece) => (piece.kind === "text" ? piece.value : piece.label)).join("");
  let htmlBody = paragraphs(pieces.map(pieceHtml).join(""));
  if (!/\{\{\s*unsubscribe_url\s*\}\}/.test(template.body)) {
    text += `\n\n--\nUnsubscribe: ${safe.unsubscribe_url}`;
    htmlBody +=
      `\n<p style="margin-top:32px;font-size:12px;color:#6d7175">` +
      `<a href="${escapeHtml(safe.unsubscribe_url)}" style="color:#6d7175">Unsubscribe</a></p>`;
  }
  const html =
    `<!doctype html>\n<html>\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width,initial-scale=1">\n` +
    `<title>${escapeHtml(subject)}</title>\n</head>\n` +
    `<body style="margin:0;padding:24px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#202223">\n` +
    `${htmlBody}\n</body>\n</html>\n`;
  return { subject, text: `${text}\n`, html };
}

/** Placeholder values made one line each: a customer's name cannot add lines or controls. */
export function safePlaceholderValues(values: EmailTemplateValues): EmailTemplateValues {
  return Object.fromEntries(
    EMAIL_PLACEHOLDERS.map((name) => [name, oneLine(values[name] ?? "")]),
  ) as EmailTemplateValues;
}

/** A validated one-line text (a subject, a heading) with its placeholders filled. */
export function fillSubject(source: string, safe: EmailTemplateValues): string {
  return oneLine(source.replace(PLACEHOLDER, (_whole, name: EmailPlaceholder) => safe[name]));
}

/** A validated multi-line text as text and link pieces (see bodyPieces). */
export function textPieces(source: string, safe: EmailTemplateValues): Piece[] {
  return bodyPieces(source.replace(/\r\n?/g, "\n").replace(CONTROL, " ").trim(), safe);
}

/** Control characters and line breaks → one space; surrounding space trimmed. */
function oneLine(value: string): string {
  return value.replace(ANY_LINE_BREAK_OR_CONTROL, " ").replace(/ {2,}/g, " ").trim();
}

/**
 * Splits the body into text and links. A link starts where the merchant wrote `http(s)://`
 * and runs to the next whitespace, taking in placeholders on the way (a shop URL ending in
 * `/discount/{{code}}`); such values are percent-encoded so they cannot end the URL early.
 * `{{unsubscribe_url}}` on its own is a link too. A URL inside a value is never linked.
 */
function bodyPieces(body: string, values: EmailTemplateValues): Piece[] {
  const tokens: Array<{ literal: string } | { name: EmailPlaceholder }> = [];
  let last = 0;
  for (const match of body.matchAll(PLACEHOLDER)) {
    const index = match.index ?? 0;
    if (index > last) tokens.push({ literal: body.slice(last, index) });
    tokens.push({ name: match[1] as EmailPlaceholder });
    last = index + match[0].length;
  }
  if (last < body.length) tokens.push({ literal: body.slice(last) });

  const pieces: Piece[] = [];
  const pushText = (value: string) => {
    const previous = pieces[pieces.length - 1];
    if (previous?.kind === "text") previous.value += value;
    else if (value) pieces.push({ kind: "text", value });
  };
  let url: string | null = null;
  const endUrl = () => {
    if (url === null) return;
    // Sentence punctuation right after a URL belongs to the sentence.
    const trailing = /[.,;:!?)\]'"]+$/.exec(url)?.[0] ?? "";
    const link = url.slice(0, url.length - trailing.length);
    if (/^https?:\/\/[^/?#\s]+/i.test(link)) pieces.push({ kind: "link", href: link, label: link });
    else pushText(link);
    pushText(trailing);
    url = null;
  };

  for (const token of tokens) {
    if ("name" in token) {
      const value = values[token.name];
      if (url !== null) url += token.name === "unsubscribe_url" ? value : encodeURIComponent(value);
      else if (token.name === "unsubscribe_url" && /^https?:\/\//i.test(value)) {
        pieces.push({ kind: "link", href: value, label: value });
      } else pushText(value);
      continue;
    }
    let rest = token.literal;
    while (rest) {
      if (url !== null) {
        const end = rest.search(/[\s<>"]/);
        if (end === -1) {
          url += rest;
          rest = "";
        } else {
          url += rest.slice(0, end);
          endUrl();
          rest = rest.slice(end);
        }
        continue;
      }
      const start = rest.search(/https?:\/\//i);
      if (start === -1) {
        pushText(rest);
        rest = "";
      } else {
        pushText(rest.slice(0, start));
        url = "";
        rest = rest.slice(start);
      }
    }
  }
  endUrl();
  return pieces;
}

function pieceHtml(piece: Piece): string {
  if (piece.kind === "text") return escapeHtml(piece.value);
  return `<a href="${escapeHtml(piece.href)}">${escapeHtml(piece.label)}</a>`;
}

/** Blank lines separate paragraphs; a single line break stays a line break. */
function paragraphs(html: string): string {
  return html
    .split(/\n[ \t]*\n\s*/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => `<p style="margin:0 0 16px">${paragraph.replace(/\n/g, "<br>\n")}</p>`)
    .join("\n");
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** `expires_on` as a customer reads it: a date in the shop's time zone, or "" for no end. */
export function formatExpiresOn(
  expiresAt: Date | null,
  timeZone: string,
  locale = "en-US",
): string {
  if (!expiresAt) return "";
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone }).format(expiresAt);
}
