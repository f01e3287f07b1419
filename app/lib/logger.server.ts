import pino from "pino";

/**
 * Structured JSON logs. Known secret-bearing fields are redacted wherever they appear so an
 * access token or a webhook secret never reaches the log stream.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "rekindle" },
  redact: {
    paths: [
      "accessToken",
      "*.accessToken",
      "secret",
      "*.secret",
      "password",
      "*.password",
      "authorization",
      "*.authorization",
      "headers.authorization",
      "databaseUrl",
      "*.databaseUrl",
    ],
    censor: "[redacted]",
  },
});

export type Logger = typeof logger;
