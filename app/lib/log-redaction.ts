/**
 * What reaches the logs from personal data and from errors. Customer emails, phones and names
 * must never be logged: fields carrying them are redacted by path, and errors are reduced to
 * what a developer needs. A database error's message, `detail` and `where` quote the row
 * ("Key (email)=(zoe@…) already exists"), and PGlite's even carries the statement and its
 * parameters, so a database error is logged by SQLSTATE code and constraint name only.
 */

const PERSONAL_FIELDS = [
  "email",
  "phone",
  "first_name",
  "last_name",
  "firstName",
  "lastName",
  "address1",
  "address2",
  "customerEmail",
  "customerName",
];

/** pino `redact` paths: each personal field at the top level and one level down. */
export const PERSONAL_DATA_LOG_PATHS = PERSONAL_FIELDS.flatMap((field) => [field, `*.${field}`]);

const SQLSTATE = /^[0-9A-Z]{5}$/;
const EMAIL = /[^\s<>()"',;:]+@[^\s<>()"',;:]+\.[A-Za-z]{2,}/g;

type Loose = Record<string, unknown>;
const asObject = (value: unknown): Loose | null =>
  typeof value === "object" && value !== null ? (value as Loose) : null;

/** The SQLSTATE and constraint of a database error, looking through Prisma's wrappers. */
function databaseFailure(error: Loose): { code: string; constraint?: string } | null {
  const meta = asObject(error.meta);
  const candidates = [
    error,
    asObject(error.cause),
    asObject(meta?.driverAdapterError),
    asObject(asObject(meta?.driverAdapterError)?.cause),
  ];
  for (const candidate of candidates) {
    const code = candidate?.code ?? candidate?.originalCode;
    if (typeof code !== "string" || !SQLSTATE.test(code)) continue;
    const named = typeof candidate?.constraint === "string" ? candidate.constraint : undefined;
    // Postgres names the constraint (never a value) in quotes in the message.
    const quoted = /constraint "([^"]+)"/.exec(String(candidate?.message ?? ""))?.[1];
    const constraint = named ?? quoted;
    return constraint ? { code, constraint } : { code };
  }
  return null;
}

/** Text from an error that may quote personal data (an SMTP reply naming the recipient). */
const withoutEmails = (text: string) => text.replace(EMAIL, "[email]");

/** pino serializer for `err`: an error (or message) as it may be logged. */
export function errorForLog(error: unknown): Loose {
  const object = asObject(error);
  if (!object) return { message: withoutEmails(String(error)) };
  const type = error instanceof Error ? error.name : "object";
  const database = databaseFailure(object);
  if (database) {
    const prismaCode = typeof object.code === "string" && /^P\d{4}$/.test(object.code);
    return { type, ...database, ...(prismaCode ? { prismaCode: object.code } : {}) };
  }
  const code = typeof object.code === "string" ? { code: object.code } : {};
  return {
    type,
    ...code,
    message: withoutEmails(String(object.message ?? "")),
    ...(typeof object.stack === "string" ? { stack: withoutEmails(object.stack) } : {}),
  };
}
