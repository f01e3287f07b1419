import "@shopify/shopify-app-remix/adapters/node";
import { createRequestHandler } from "@remix-run/express";
import type { ActionFunctionArgs, ServerBuild } from "@remix-run/node";
import { ApiVersion, shopifyApp } from "@shopify/shopify-app-remix/server";
import type { Session } from "@shopify/shopify-api";
import express from "express";

// The Shopify Remix template's webhook route, bare: `authenticate.webhook(request)` and an
// empty 200, served as the template serves it (Express and Remix's request handler, which is
// what remix-serve runs, without its access log). Sessions are kept in memory and none exists,
// so nothing touches a database.
const sessions = new Map<string, Session>();
const shopify = shopifyApp({
  apiKey: process.env.SHOPIFY_API_KEY ?? "",
  apiSecretKey: process.env.SHOPIFY_API_SECRET ?? "",
  apiVersion: ApiVersion.October26,
  scopes: (process.env.SCOPES ?? "").split(","),
  appUrl: process.env.SHOPIFY_APP_URL ?? "",
  sessionStorage: {
    storeSession: async (session) => Boolean(sessions.set(session.id, session)),
    loadSession: async (id) => sessions.get(id),
    deleteSession: async (id) => sessions.delete(id),
    deleteSessions: async (ids) => ids.every((id) => sessions.delete(id)),
    findSessionsByShop: async (shop) => [...sessions.values()].filter((s) => s.shop === shop),
  },
});

async function action({ request }: ActionFunctionArgs) {
  await shopify.authenticate.webhook(request);
  return new Response();
}

// The smallest Remix build holding that route: a root and the resource route.
const build = {
  mode: "production",
  entry: { module: { default: () => new Response(null, { status: 404 }) } },
  routes: {
    root: { id: "root", path: "", module: {} },
    "routes/webhooks.orders": {
      id: "routes/webhooks.orders",
      parentId: "root",
      path: "webhooks/orders",
      module: { action },
    },
  },
  assets: { entry: { module: "", imports: [] }, routes: {}, url: "", version: "bench" },
  publicPath: "/build/",
  assetsBuildDirectory: "build/client",
  future: {},
  isSpaMode: false,
} as unknown as ServerBuild;

const app = express();
app.disable("x-powered-by");
app.all("*", createRequestHandler({ build, mode: "production" }));
app.listen(Number(process.env.PORT), "127.0.0.1");
