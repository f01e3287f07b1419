import { describe, expect, it } from "vitest";
import { ShopifyUserError } from "~/lib/errors";
import {
  AdminGraphqlError,
  adminGraphqlRequest,
  requireNoUserErrors,
  throttleWaitMs,
  type GraphqlBody,
} from "./admin-graphql.server";

const throttled: GraphqlBody = {
  errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
  extensions: {
    cost: {
      requestedQueryCost: 502,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 2, restoreRate: 100 },
    },
  },
};

describe("adminGraphqlRequest", () => {
  it("waits out THROTTLED answers for as long as the bucket needs, then returns data", async () => {
    const answers: GraphqlBody[] = [throttled, throttled, { data: { shop: { name: "Demo" } } }];
    const waits: number[] = [];
    const data = await adminGraphqlRequest<{ shop: { name: string } }>(
      async () => answers.shift() ?? {},
      "query { shop { name } }",
      {},
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(data.shop.name).toBe("Demo");
    expect(waits).toEqual([5000, 5000]);
  });

  it("gives up after the retry budget with a typed error", async () => {
    await expect(
      adminGraphqlRequest(
        async () => throttled,
        "q",
        {},
        { maxThrottleRetries: 2, sleep: async () => {} },
      ),
    ).rejects.toMatchObject({ codes: ["THROTTLED"] });
  });

  it("turns other GraphQL errors into AdminGraphqlError", async () => {
    const call = adminGraphqlRequest(
      async () => ({ errors: [{ message: "Field 'x' doesn't exist" }] }),
      "q",
    );
    await expect(call).rejects.toBeInstanceOf(AdminGraphqlError);
  });

  it("waits at least a second when Shopify gives no cost figures", () => {
    expect(throttleWaitMs({})).toBe(1000);
  });
});

describe("requireNoUserErrors", () => {
  it("throws ShopifyUserError listing the messages", () => {
    expect(() =>
      requireNoUserErrors("discountCodeBasicCreate", {
        userErrors: [{ field: ["code"], message: "Code must be unique" }],
      }),
    ).toThrow(ShopifyUserError);
  });

  it("returns the payload when there are none", () => {
    expect(requireNoUserErrors("tagsAdd", { userErrors: [], node: { id: "1" } }).node.id).toBe("1");
  });
});
