import { describe, expect, it } from "vitest";
import { ConfigError } from "./errors";
import { parseEnv } from "./env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "super-secret-value",
  SHOPIFY_APP_URL: "https://rekindle.example.com",
  SCOPES: "read_customers, read_orders",
};

describe("parseEnv", () => {
  it("accepts a complete environment and splits scopes", () => {
    const env = parseEnv(valid);
    expect(env.SCOPES).toEqual(["read_customers", "read_orders"]);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
  });

  it("is production unless the caller explicitly says otherwise, with no private SMTP hosts", () => {
    expect(parseEnv(valid).NODE_ENV).toBe("production");
    expect(parseEnv(valid).SMTP_ALLOWED_PRIVATE_HOSTS).toEqual([]);
    expect(parseEnv({ ...valid, NODE_ENV: "development" }).NODE_ENV).toBe("development");
  });

  it("names every missing variable", () => {
    expect(() => parseEnv({})).toThrowError(ConfigError);
    try {
      parseEnv({});
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("SHOPIFY_API_KEY is required");
      expect(message).toContain("SHOPIFY_API_SECRET is required");
      expect(message).toContain("SHOPIFY_APP_URL is required");
      expect(message).toContain("SCOPES is required");
    }
  });

  it("rejects a malformed value and names the variable without echoing it", () => {
    const secretish = "mysql://root:hunter2@db/app";
    let message = "";
    try {
      parseEnv({ ...valid, DATABASE_URL: secretish, SHOPIFY_APP_URL: "not a url" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("DATABASE_URL must be a postgres:// or postgresql:// URL");
    expect(message).toContain("SHOPIFY_APP_URL must be the app's public https URL");
    expect(message).not.toContain("hunter2");
  });

  it("keeps applied webhook deliveries 7 days unless told otherwise, and refuses nonsense", () => {
    expect(parseEnv(valid).INBOX_RETENTION_DAYS).toBe(7);
    expect(parseEnv({ ...valid, INBOX_RETENTION_DAYS: "30" }).INBOX_RETENTION_DAYS).toBe(30);
    expect(() => parseEnv({ ...valid, INBOX_RETENTION_DAYS: "0" })).toThrowError(
      /INBOX_RETENTION_DAYS/,
    );
  });

  it("keeps web pixel events 90 days unless told otherwise, and refuses nonsense", () => {
    expect(parseEnv(valid).PIXEL_RETENTION_DAYS).toBe(90);
    expect(parseEnv({ ...valid, PIXEL_RETENTION_DAYS: "30" }).PIXEL_RETENTION_DAYS).toBe(30);
    for (const bad of ["0", "-3", "ninety"]) {
      expect(() => parseEnv({ ...valid, PIXEL_RETENTION_DAYS: bad })).toThrowError(
        /PIXEL_RETENTION_DAYS/,
      );
    }
  });

  it("rejects an empty scope list", () => {
    expect(() => parseEnv({ ...valid, SCOPES: " , " })).toThrowError(
      /SCOPES must list at least one scope/,
    );
  });

  it("leaves the number of web processes to npm start unless told, and more than one only on PostgreSQL", () => {
    expect(parseEnv(valid).WEB_CONCURRENCY).toBeUndefined();
    expect(parseEnv(valid).INBOX_WRITE_CONNECTIONS).toBe(4);
    const postgres = { ...valid, DATABASE_URL: "postgresql://db/app" };
    expect(parseEnv({ ...postgres, WEB_CONCURRENCY: "2" }).WEB_CONCURRENCY).toBe(2);
    expect(() => parseEnv({ ...valid, WEB_CONCURRENCY: "2" })).toThrowError(
      /WEB_CONCURRENCY above 1 needs DATABASE_URL/,
    );
    expect(() => parseEnv({ ...postgres, WEB_CONCURRENCY: "0" })).toThrowError(/WEB_CONCURRENCY/);
  });
});
