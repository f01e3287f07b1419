/**
 * The editor's form: the whole template travels as one JSON field (blocks, texts per language
 * and brand are nested), read back here. Pure, so the page and the action agree on the shape.
 */
import type { Message } from "~/i18n/message";
import {
  templateDocumentSchema,
  templateProblems,
  type TemplateDocument,
  type TemplateFieldPath,
} from "./template-document";

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
