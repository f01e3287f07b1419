/**
 * The editor's form: the whole template travels as one JSON field (blocks, texts per language
 * and brand are nested), read back here, and the stored template's schema. On the server only:
 * the page gets the field errors as messages, not the validation library.
 */
import { z } from "zod";
import type { Message } from "~/i18n/message";
import { EMAIL_LANGUAGES } from "./built-in-texts";
import {
  BLOCK_KINDS,
  TEXT_FIELDS,
  templateProblems,
  type TemplateDocument,
  type TemplateFieldPath,
  type TemplateTexts,
} from "./template-document";

const textsSchema = z
  .object(Object.fromEntries(TEXT_FIELDS.map((field) => [field, z.string().optional()])))
  .partial() as z.ZodType<Partial<TemplateTexts>>;

/** The stored shape; the rules a merchant must satisfy are in templateProblems. */
export const templateDocumentSchema: z.ZodType<TemplateDocument> = z.object({
  blocks: z.array(z.enum(BLOCK_KINDS)),
  productCount: z.number().int(),
  brand: z.object({
    logoUrl: z.string(),
    accentColor: z.string(),
    backgroundColor: z.string(),
  }),
  defaultLanguage: z.enum(EMAIL_LANGUAGES),
  texts: z.partialRecord(z.enum(EMAIL_LANGUAGES), textsSchema) as z.ZodType<
    TemplateDocument["texts"]
  >,
});

export type TemplateFieldErrors = Partial<Record<TemplateFieldPath, Message>>;

export type TemplateFormResult =
  { ok: true; document: TemplateDocument } | { ok: false; errors: TemplateFieldErrors };

/**
 * The `document` field as a template, or null when it is not one at all (no page sends that:
 * a 400). A well-formed template with problems comes back with the first problem per field.
 */
export function readTemplateForm(raw: FormDataEntryValue | undefined): TemplateFormResult | null {
  if (typeof raw !== "string") return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = templateDocumentSchema.safeParse(json);
  if (!parsed.success) return null;
  const errors: TemplateFieldErrors = {};
  for (const { field, problem } of templateProblems(parsed.data)) errors[field] ??= problem;
  return Object.keys(errors).length > 0
    ? { ok: false, errors }
    : { ok: true, document: parsed.data };
}
