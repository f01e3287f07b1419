import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleAppProxyRequest, type ProxyHandler } from "~/services/storefront/app-proxy.server";
import { eventsHandler } from "~/services/storefront/events-endpoint.server";
import { offerHandler } from "~/services/storefront/offer-endpoint.server";
import { recommendationsHandler } from "~/services/storefront/recommendations-endpoint.server";

/** Storefront endpoints under /apps/rekindle/*, by path. */
const PROXY_HANDLERS: Record<string, ProxyHandler> = {
  recommendations: recommendationsHandler,
  offer: offerHandler,
  events: eventsHandler,
};

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  handleAppProxyRequest(request, params["*"] ?? "", PROXY_HANDLERS);

export const action = ({ request, params }: ActionFunctionArgs) =>
  handleAppProxyRequest(request, params["*"] ?? "", PROXY_HANDLERS);
