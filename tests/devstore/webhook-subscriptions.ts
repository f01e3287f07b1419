import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { REPO_ROOT } from "../helpers/shared-data";

interface TomlSubscription {
  topics?: string[];
  compliance_topics?: string[];
  uri: string;
}

/**
 * The app's webhook subscriptions as Shopify reads them from `shopify.app.toml` on deploy
 * (app-specific subscriptions): topic → path on the app.
 */
export function subscriptionsFromAppToml(file = path.join(REPO_ROOT, "shopify.app.toml")) {
  const config = parse(readFileSync(file, "utf8")) as {
    webhooks?: { api_version?: string; subscriptions?: TomlSubscription[] };
  };
  const routes = new Map<string, string>();
  for (const subscription of config.webhooks?.subscriptions ?? []) {
    for (const topic of [
      ...(subscription.topics ?? []),
      ...(subscription.compliance_topics ?? []),
    ]) {
      routes.set(topic, subscription.uri);
    }
  }
  return { apiVersion: config.webhooks?.api_version ?? "", routes };
}
