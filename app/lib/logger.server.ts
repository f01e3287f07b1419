import pino, { type DestinationStream } from "pino";
import { logEnv } from "./env.server";
import { errorForLog, PERSONAL_DATA_LOG_PATHS } from "./log-redaction";

/**
 * Structured JSON logs. Known secret-bearing and personal fields are redacted wherever they
 * appear, and errors are reduced to what may be logged (`errorForLog`), so an access token,
 * a webhook secret or a customer's email never reaches the log stream.
 */
export function createLogger(destination?: DestinationStream) {
  return pino(
    {
      level: logEnv().LOG_LEVEL,
      base: { service: "rekindle" },
      serializers: { err: errorForLog, error: errorForLog },
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
          ...PERSONAL_DATA_LOG_PATHS,
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}

export const logger = createLogger();

export type Logger = typeof logger;
