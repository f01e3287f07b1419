import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/services/webhooks/receive-webhook.server";
import { webhookResponse } from "~/routes/http/answers.server";

export const action = async ({ request }: ActionFunctionArgs) =>
  webhookResponse(await receiveWebhook(request, "/webhooks/collections"));
