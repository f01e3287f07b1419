/**
 * Branded email layouts per shop (email_template), one per key: `winback` is the one every
 * win-back rule's email is sent in. A shop that never saved one gets DEFAULT_TEMPLATE. Saving
 * refuses a template with problems, so a stored template always renders. Reads are kept for a
 * few seconds in process (a run renders thousands of emails from one template); a save
 * forgets this process's copy at once, the other processes' within those seconds.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { InvalidInputError } from "~/lib/errors";
import { ResponseCache } from "~/lib/response-cache";
import {
  DEFAULT_TEMPLATE,
  templateProblems,
  type TemplateDocument,
  type TemplateProblem,
} from "./template-document";
import { templateDocumentSchema } from "./template-form.server";

export const WINBACK_TEMPLATE = "winback";
const TEMPLATE_KEY = /^[a-z0-9_-]{1,40}$/;
/** Exported so tests that reuse shop ids can forget them. */
export const storedTemplates = new ResponseCache<TemplateDocument>(10_000, 5_000);

/** Thrown for a template that must not be saved or sent, with every problem by field. */
export class InvalidBrandedTemplateError extends InvalidInputError {
  constructor(readonly problems: TemplateProblem[]) {
    super(
      `Invalid email template: ${problems.map((p) => `${p.field} ${p.problem.key}`).join(", ")}`,
    );
  }
}

function checkKey(key: string): void {
  if (!TEMPLATE_KEY.test(key)) throw new InvalidInputError(`Not a template key: ${key}`);
}

export async function loadEmailTemplate(
  sql: SqlQueryable,
  shopId: number,
  key: string = WINBACK_TEMPLATE,
): Promise<TemplateDocument> {
  checkKey(key);
  const cacheKey = `${shopId}:${key}`;
  const cached = storedTemplates.get(cacheKey);
  if (cached) return cached;
  const { rows } = await sql.query<{ document: unknown }>(
    `SELECT document FROM email_template WHERE shop_id = $1 AND key = $2`,
    [shopId, key],
  );
  const stored = rows[0]?.document;
  const document =
    stored === undefined
      ? DEFAULT_TEMPLATE
      : templateDocumentSchema.parse(typeof stored === "string" ? JSON.parse(stored) : stored);
  storedTemplates.set(cacheKey, document);
  return document;
}

/** Stores the template; throws InvalidBrandedTemplateError (nothing written) when it has problems. */
export async function saveEmailTemplate(
  sql: SqlQueryable,
  shopId: number,
  document: TemplateDocument,
  key: string = WINBACK_TEMPLATE,
): Promise<void> {
  checkKey(key);
  const problems = templateProblems(document);
  if (problems.length > 0) throw new InvalidBrandedTemplateError(problems);
  await sql.query(
    `INSERT INTO email_template (shop_id, key, document, updated_at) VALUES ($1, $2, $3::jsonb, now())
     ON CONFLICT (shop_id, key) DO UPDATE SET document = excluded.document, updated_at = now()`,
    [shopId, key, JSON.stringify(document)],
  );
  storedTemplates.delete(`${shopId}:${key}`);
}
