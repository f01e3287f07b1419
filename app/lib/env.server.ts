import { z } from "zod";
import { commaSeparated } from "./comma-list";
import { ConfigError } from "./errors";

const commaList = z.string().transform(commaSeparated);

const envFields = z.object({
  /**
   * Production unless a caller explicitly says otherwise: every guard (SSRF checks, no stack
   * traces) is on by default, and only `npm run dev`, the demo and tests relax what they must.
   */
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  SHOPIFY_API_KEY: z.string().min(1, "is required (the app's client id)"),
  SHOPIFY_API_SECRET: z.string().min(1, "is required (the app's client secret)"),
  SHOPIFY_APP_URL: z.string().url("must be the app's public https URL"),
  SCOPES: commaList.pipe(z.array(z.string()).min(1, "must list at least one scope")),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  PGLITE_DATA_DIR: z.string().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * PostgreSQL connections per web process kept for writing webhook deliveries to the inbox,
   * apart from the pool above so ingest never waits behind an admin page's queries. Each
   * carries one group commit at a time.
   */
  INBOX_WRITE_CONNECTIONS: z.coerce.number().int().min(1).max(32).default(4),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /**
   * Web processes `npm start` runs behind the one port (node:cluster); unset, one per core on
   * PostgreSQL (`webProcessCount`). Above 1 needs DATABASE_URL: the embedded database belongs
   * to one process.
   */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  /**
   * Run the sync workers inside the web process. Always on with the embedded database
   * (PGlite is single-process); with PostgreSQL, run `npm run worker` processes instead.
   */
  /**
   * Seconds a worker's claimed inbox batch stays locked: if the worker dies, another takes the
   * batch over after this. Longer than the slowest batch.
   */
  /** Inbox workers in one `npm run worker` process (each holds one claimed batch at a time). */
  INBOX_WORKERS: z.coerce.number().int().min(1).max(32).default(2),
  INBOX_CLAIM_LOCK_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /**
   * Seconds a messaging-flow step may run before its job goes to another worker (a worker that
   * died mid-step); the queue's supervisor looks for such jobs every FLOW_SUPERVISE_SECONDS.
   */
  FLOW_STEP_EXPIRE_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  FLOW_SUPERVISE_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  /** Minutes between reconciliation runs per shop (repairs what dropped webhooks missed). */
  RECONCILE_INTERVAL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  /**
   * Days an applied webhook delivery is kept before it is purged (its raw body carries
   * customers' personal data). Dead letters are kept until the merchant deals with them.
   */
  INBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /**
   * Days of web pixel events kept (storefront browsing, personal data once tied to a
   * customer); the hourly job drops older days whole.
   */
  PIXEL_RETENTION_DAYS: z.coerce.number().int().min(1).max(730).default(90),
  /**
   * Hosts a merchant's SMTP settings may name although they resolve to a private or loopback
   * address (a local mail sink in the demo and tests). Empty in production: the SSRF guard
   * applies in every mode, and this is the only way past it.
   */
  SMTP_ALLOWED_PRIVATE_HOSTS: commaList.prefault(""),
  WORKERS_IN_PROCESS: z
    .enum(["true", "false"])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === "true")),
});

const envSchema = envFields.refine(
  (env) => (env.WEB_CONCURRENCY ?? 1) === 1 || env.DATABASE_URL !== undefined,
  {
    path: ["WEB_CONCURRENCY"],
    message: "above 1 needs DATABASE_URL (the embedded database belongs to one process)",
  },
);

export type Env = z.infer<typeof envSchema>;

/** Names of settings that must never appear in logs or error messages. */
export const SECRET_ENV_NAMES = ["SHOPIFY_API_SECRET", "DATABASE_URL"] as const;

/**
 * Parses the environment once. A bad or missing setting fails with a message that names
 * every offending variable and what it must be, never its value (values may be secrets).
 */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = envSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  throw new ConfigError(describeProblems(parsed.error, source));
}

function describeProblems(error: z.ZodError, source: Record<string, string | undefined>): string {
  const problems = error.issues.map((issue) => {
    const name = issue.path.join(".") || "environment";
    const message =
      issue.code === "invalid_type" && source[name] === undefined ? "is required" : issue.message;
    return `  ${name} ${message}`;
  });
  return `Invalid environment variables:\n${problems.join("\n")}`;
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

const databaseSchema = envFields.pick({
  NODE_ENV: true,
  DATABASE_URL: true,
  PGLITE_DATA_DIR: true,
  DATABASE_POOL_SIZE: true,
  INBOX_WRITE_CONNECTIONS: true,
});

/**
 * Where the database is, read when a connection is first opened rather than with the whole
 * app configuration: tools and tests that never talk to Shopify (benchmarks, migrations) need
 * no Shopify settings, and a test may point DATABASE_URL at a scratch database before it
 * opens one.
 */
export const databaseEnv = () => parseSettings(databaseSchema);

const logSchema = envFields.pick({ LOG_LEVEL: true });

/** The log level, needed before anything else (the logger is created on import). */
export const logEnv = () => parseSettings(logSchema);

/** Some of the settings, parsed from the environment now, with the same messages as parseEnv. */
function parseSettings<Schema extends z.ZodType>(schema: Schema): z.infer<Schema> {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) throw new ConfigError(describeProblems(parsed.error, process.env));
  return parsed.data;
}
