import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleAppProxyRequest, type ProxyHandler } from "~/services/storefront/app-proxy.server";

/** Storefront endpoints under /apps/rekindle/*, by path. */
const PROXY_HANDLERS: Record<string, ProxyHandler> = {};

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  handleAppProxyRequest(request, params["*"] ?? "", PROXY_HANDLERS);

export const action = ({ request, params }: ActionFunctionArgs) =>
  handleAppProxyRequest(request, params["*"] ?? "", PROXY_HANDLERS);
