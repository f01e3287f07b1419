import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/services/webhooks/receive-webhook.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveWebhook(request, "/webhooks/app/uninstalled");
