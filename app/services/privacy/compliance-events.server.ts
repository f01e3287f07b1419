import { z } from "zod";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { exportCustomerData } from "./export-customer-data.server";
import { redactCustomer } from "./redact-customer.server";
import { redactShop } from "./redact-shop.server";

const id = z.union([z.string().regex(/^\d{1,20}$/), z.number().int()]).transform((v) => BigInt(v));

const customerRedactBody = z.object({
  shop_domain: z.string(),
  customer: z.object({ id, email: z.string().nullish() }),
  orders_to_redact: z.array(id).default([]),
});
const dataRequestBody = z.object({
  shop_domain: z.string(),
  customer: z.object({ id }),
  data_request: z.object({ id: z.union([z.string(), z.number()]).transform(String) }).nullish(),
});

/** Applies one of the three mandatory compliance topics (body parsed with exact ids). */
export async function applyComplianceEvent(
  sql: SqlQueryable,
  shopDomain: string,
  topic: string,
  body: unknown,
): Promise<void> {
  switch (topic) {
    case "shop/redact":
      await redactShop(sql, shopDomain);
      return;
    case "customers/redact": {
      const request = customerRedactBody.parse(body);
      await redactCustomer(sql, {
        shopDomain,
        customerId: request.customer.id,
        orderIds: request.orders_to_redact,
        email: request.customer.email,
      });
      return;
    }
    case "customers/data_request": {
      const request = dataRequestBody.parse(body);
      await exportCustomerData(sql, {
        shopDomain,
        customerId: request.customer.id,
        dataRequestId: request.data_request?.id ?? null,
      });
      return;
    }
  }
}
