import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { FLOW_TRIGGER_RECEIVE_MUTATION } from "~/graphql/flow";
import { InvalidInputError, ShopifyUserError } from "~/lib/errors";
import { FIXED_END_DATE, generateStore } from "../../../tests/devstore/generator/generate-store";
import { DevStore, type DevStoreOptions } from "../../../tests/devstore/store";
import { devstoreAdmin } from "../../../tests/helpers/devstore-admin";
import { REPO_ROOT } from "../../../tests/helpers/shared-data";
import {
  emitWinbackFlowTrigger,
  FLOW_TRIGGER_PAYLOAD_MAX_BYTES,
  WINBACK_FLOW_TRIGGER_HANDLE,
  winbackFlowTriggerPayload,
  type WinbackFlowTriggerInput,
} from "./flow-trigger.server";

interface TriggerField {
  type: string;
  key?: string;
}

const extensionToml = parse(
  readFileSync(
    path.join(REPO_ROOT, "extensions/rekindle-flow-winback/shopify.extension.toml"),
    "utf8",
  ),
) as unknown as {
  extensions: Array<{ type: string; handle: string; name: string }>;
  settings: { fields: TriggerField[] };
};

/** The payload key Flow expects for a field: `<object>_id` for a reference, else its key. */
const payloadKey = (field: TriggerField) =>
  field.type.endsWith("_reference") ? `${field.type.slice(0, -"_reference".length)}_id` : field.key;

function devstore(options?: DevStoreOptions) {
  const store = new DevStore(
    generateStore({ seed: 5, orders: 1000, endDate: FIXED_END_DATE }),
    options,
  );
  const admin = devstoreAdmin(store, ["read_customers"]);
  const customerId = [...store.customersById.keys()][0] ?? 0n;
  return { store, customerId, ...admin };
}

const action = (customerId: bigint): WinbackFlowTriggerInput => ({
  customerId,
  ruleId: "rule_01J9ZK3",
  ruleName: "Lapsed after 90 days",
  code: "COMEBACK-7QX2",
  discountText: "15% off your next order",
  expiresAt: new Date("2026-12-01T00:00:00Z"),
  lifecycleStage: "at_risk",
});

describe("win-back Flow trigger extension", () => {
  const [extension] = extensionToml.extensions;
  const fields = extensionToml.settings.fields;

  it("is the trigger the app sends, by handle", () => {
    expect(extensionToml.extensions).toHaveLength(1);
    expect(extension?.type).toBe("flow_trigger");
    expect(extension?.handle).toBe(WINBACK_FLOW_TRIGGER_HANDLE);
    expect(extension?.name).toBe("Win-back action taken");
  });

  it("declares exactly the keys of the payload the app sends", () => {
    const payload = winbackFlowTriggerPayload(action(1n));
    expect(fields.map(payloadKey).sort()).toEqual(Object.keys(payload).sort());
  });

  it("stays within what the Shopify CLI accepts for a trigger", () => {
    // packages/app/src/cli/services/flow/constants.ts and models/.../flow_trigger.ts in Shopify/cli.
    const triggerTypes = [
      "boolean",
      "email",
      "single_line_text_field",
      "url",
      "number_decimal",
      "customer_reference",
      "order_reference",
      "product_reference",
    ];
    expect(extension?.handle.length).toBeLessThanOrEqual(30);
    expect(extension?.handle).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const field of fields) {
      expect(triggerTypes).toContain(field.type);
      if (field.type.endsWith("_reference")) expect(field.key).toBeUndefined();
      else expect(field.key).toMatch(/^[A-Za-z\s]+$/);
    }
  });
});

describe("winbackFlowTriggerPayload", () => {
  it("sends absent values as empty text and the expiry as ISO 8601", () => {
    const payload = winbackFlowTriggerPayload({
      ...action(42n),
      code: null,
      expiresAt: null,
      lifecycleStage: null,
    });
    expect(JSON.parse(JSON.stringify(payload))).toEqual({
      customer_id: 42,
      "Rule name": "Lapsed after 90 days",
      "Rule ID": "rule_01J9ZK3",
      "Discount code": "",
      "Discount text": "15% off your next order",
      "Offer expires at": "",
      "Lifecycle stage": "",
    });
    expect(JSON.stringify(winbackFlowTriggerPayload(action(42n)))).toContain(
      '"Offer expires at":"2026-12-01T00:00:00.000Z"',
    );
  });

  it("writes a customer id beyond 2^53 as its exact digits", () => {
    expect(JSON.stringify(winbackFlowTriggerPayload(action(18_000_000_000_000_007n)))).toMatch(
      /^\{"customer_id":18000000000000007,/,
    );
  });

  it("shortens the merchant's free text, longest first, to fit Flow's limit", () => {
    // Quotes and emoji cost more bytes in JSON than characters; the cut must count bytes.
    const long = 'Say "hi" 👋 '.repeat(6000);
    const payload = winbackFlowTriggerPayload({
      ...action(7n),
      ruleName: "Short rule",
      discountText: long,
    });
    const bytes = Buffer.byteLength(JSON.stringify(payload));
    expect(bytes).toBeLessThan(FLOW_TRIGGER_PAYLOAD_MAX_BYTES);
    expect(bytes).toBeGreaterThan(FLOW_TRIGGER_PAYLOAD_MAX_BYTES - 100);
    expect(payload["Rule name"]).toBe("Short rule");
    expect(payload["Discount text"].endsWith("…")).toBe(true);
    expect(long.startsWith(payload["Discount text"].slice(0, -1))).toBe(true);
    expect(payload["Discount text"]).not.toMatch(/[\uD800-\uDBFF]…$/);

    const both = winbackFlowTriggerPayload({
      ...action(7n),
      ruleName: "r".repeat(40_000),
      discountText: "d".repeat(40_000),
    });
    expect(Buffer.byteLength(JSON.stringify(both))).toBeLessThan(FLOW_TRIGGER_PAYLOAD_MAX_BYTES);
    expect(both["Discount code"]).toBe("COMEBACK-7QX2");
  });

  it("refuses when what cannot be cut is over the limit on its own", () => {
    expect(() => winbackFlowTriggerPayload({ ...action(7n), ruleId: "x".repeat(60_000) })).toThrow(
      InvalidInputError,
    );
  });
});

describe("emitWinbackFlowTrigger against the simulated store", () => {
  it("starts the trigger once, after waiting out throttling", async () => {
    const { store, bucket, transport, sleep, customerId, calls, clock } = devstore();
    expect(customerId > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    bucket.forcedThrottles = 2;

    await emitWinbackFlowTrigger(transport, action(customerId), { sleep });

    expect(calls()).toBe(3);
    expect(clock()).toBeGreaterThan(0);
    expect(store.flowTriggers).toEqual([
      {
        handle: WINBACK_FLOW_TRIGGER_HANDLE,
        payload: {
          customer_id: customerId.toString(),
          "Rule name": "Lapsed after 90 days",
          "Rule ID": "rule_01J9ZK3",
          "Discount code": "COMEBACK-7QX2",
          "Discount text": "15% off your next order",
          "Offer expires at": "2026-12-01T00:00:00.000Z",
          "Lifecycle stage": "at_risk",
        },
        receivedAt: expect.any(Date),
      },
    ]);
  });

  it("delivers a shortened payload that the store accepts", async () => {
    const { store, transport, customerId } = devstore();
    await emitWinbackFlowTrigger(transport, {
      ...action(customerId),
      discountText: "x".repeat(80_000),
    });
    expect(store.flowTriggers).toHaveLength(1);
  });

  it("throws ShopifyUserError when the shop has no trigger with our handle", async () => {
    const { store, transport, customerId } = devstore({ flowTriggerHandles: ["another-trigger"] });
    const error = await emitWinbackFlowTrigger(transport, action(customerId)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ShopifyUserError);
    expect((error as ShopifyUserError).operation).toBe("flowTriggerReceive");
    expect((error as ShopifyUserError).userErrors[0]?.field).toEqual(["handle"]);
    expect(store.flowTriggers).toEqual([]);
  });

  it("the store knows the handle from the extension TOML and refuses oversized payloads", async () => {
    const { store, endpoint } = devstore();
    expect([...store.flowTriggerHandles]).toEqual([WINBACK_FLOW_TRIGGER_HANDLE]);
    const result = await endpoint.handle(
      {
        query: FLOW_TRIGGER_RECEIVE_MUTATION,
        variables: {
          handle: WINBACK_FLOW_TRIGGER_HANDLE,
          payload: { "Discount text": "x".repeat(FLOW_TRIGGER_PAYLOAD_MAX_BYTES) },
        },
      },
      ["read_customers"],
    );
    const body = result.body as {
      data: { flowTriggerReceive: { userErrors: Array<{ field: string[]; message: string }> } };
    };
    expect(body.data.flowTriggerReceive.userErrors).toEqual([
      { field: ["payload"], message: expect.stringContaining("under 50000 bytes") },
    ]);
    expect(store.flowTriggers).toEqual([]);
  });
});
