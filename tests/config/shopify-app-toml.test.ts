import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { ADMIN_API_VERSION, APP_PROXY_PREFIX, APP_PROXY_SUBPATH } from "~/lib/constants";
import { WEBHOOK_ROUTES } from "~/services/webhooks/webhook-topics";
import { REPO_ROOT } from "../helpers/shared-data";

interface Subscription {
  uri: string;
  topics?: string[];
  compliance_topics?: string[];
}

const toml = parse(readFileSync(path.join(REPO_ROOT, "shopify.app.toml"), "utf8")) as unknown as {
  embedded: boolean;
  access_scopes: { scopes: string; optional_scopes?: string[] };
  webhooks: { api_version: string; subscriptions: Subscription[] };
  app_proxy: { url: string; prefix: string; subpath: string };
};

describe("shopify.app.toml", () => {
  it("pins the same Admin API version as the code", () => {
    expect(toml.webhooks.api_version).toBe(ADMIN_API_VERSION);
  });

  it("is an embedded app", () => {
    expect(toml.embedded).toBe(true);
  });

  it("subscribes each route to exactly the topics that route accepts", () => {
    const declared = Object.fromEntries(
      toml.webhooks.subscriptions.map((subscription) => [
        subscription.uri,
        [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])].sort(),
      ]),
    );
    const expected = Object.fromEntries(
      Object.entries(WEBHOOK_ROUTES).map(([uri, topics]) => [uri, [...topics].sort()]),
    );
    expect(declared).toEqual(expected);
  });

  it("declares the three mandatory compliance topics as compliance_topics", () => {
    const compliance = toml.webhooks.subscriptions.flatMap((s) => s.compliance_topics ?? []);
    expect(compliance.sort()).toEqual([
      "customers/data_request",
      "customers/redact",
      "shop/redact",
    ]);
  });

  it("maps every webhook URI to one route file", () => {
    for (const { uri } of toml.webhooks.subscriptions) {
      const file = `${uri.slice(1).replaceAll("/", ".")}.tsx`;
      expect(existsSync(path.join(REPO_ROOT, "app/routes", file)), file).toBe(true);
    }
  });

  it("requests only the scopes the app uses", () => {
    expect(toml.access_scopes.scopes.split(",").sort()).toEqual(
      [
        "read_customers",
        "read_orders",
        "read_products",
        "read_themes",
        "write_app_proxy",
        "write_customers",
        "write_discounts",
        "write_pixels",
        "read_customer_events",
      ].sort(),
    );
    expect(toml.access_scopes.optional_scopes).toEqual(["read_all_orders"]);
  });

  it("routes the app proxy to /proxy under the constants the storefront uses", () => {
    expect(toml.app_proxy.prefix).toBe(APP_PROXY_PREFIX);
    expect(toml.app_proxy.subpath).toBe(APP_PROXY_SUBPATH);
    expect(new URL(toml.app_proxy.url).pathname).toBe("/proxy");
    expect(existsSync(path.join(REPO_ROOT, "app/routes/proxy.$.tsx"))).toBe(true);
  });
});
