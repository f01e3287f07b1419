import { randomUUID } from "node:crypto";
import { seededRandom } from "./seeded-random";
import { toShopifyJson } from "./shopify-json";
import { webhookHmac } from "./signing";

export interface DeliveryFaults {
  /** Share of deliveries sent twice with the same webhook id (Shopify's at-least-once). */
  duplicateRate?: number;
  /** Share of deliveries never sent (Shopify gives up after its retries). */
  dropRate?: number;
  /** Deliver queued events in random order instead of the order they happened. */
  shuffle?: boolean;
  /** Wait before each delivery, in milliseconds. */
  delayMs?: number;
}

export interface WebhookDeliveryOptions {
  appUrl: string;
  shop: string;
  secret: string;
  apiVersion: string;
  routes: Map<string, string>;
  faults?: DeliveryFaults;
  seed?: number;
  /** Retries of a delivery the app did not acknowledge with 2xx (Shopify: 8 over 4 hours). */
  maxAttempts?: number;
  concurrency?: number;
  /** Sends a signed delivery; over HTTP by default, straight into a route handler in tests. */
  send?: (request: Request) => Promise<Response>;
}

export interface QueuedWebhook {
  topic: string;
  webhookId: string;
  eventId: string;
  triggeredAt: string;
  body: string;
}

export interface DeliveryReport {
  sent: number;
  acknowledged: number;
  dropped: QueuedWebhook[];
  duplicates: number;
  failed: QueuedWebhook[];
}

/**
 * Turns store changes into webhook POSTs exactly as Shopify sends them (headers, HMAC of the
 * raw body), with switches for the ways real delivery misbehaves.
 */
export class WebhookDelivery {
  private queue: QueuedWebhook[] = [];
  private readonly random: () => number;

  constructor(private readonly options: WebhookDeliveryOptions) {
    this.random = seededRandom(options.seed ?? 1);
  }

  set faults(faults: DeliveryFaults) {
    this.options.faults = faults;
  }

  get pending() {
    return this.queue.length;
  }

  enqueue(topic: string, body: unknown): QueuedWebhook | undefined {
    if (!this.options.routes.has(topic)) return undefined;
    const webhook = {
      topic,
      webhookId: randomUUID(),
      eventId: randomUUID(),
      triggeredAt: new Date().toISOString(),
      body: typeof body === "string" ? body : toShopifyJson(body),
    };
    this.queue.push(webhook);
    return webhook;
  }

  /** Sends everything queued, applying the configured faults. */
  async flush(): Promise<DeliveryReport> {
    const faults = this.options.faults ?? {};
    let batch = this.queue;
    this.queue = [];
    const report: DeliveryReport = {
      sent: 0,
      acknowledged: 0,
      dropped: [],
      duplicates: 0,
      failed: [],
    };
    const outgoing: QueuedWebhook[] = [];
    for (const webhook of batch) {
      if (this.random() < (faults.dropRate ?? 0)) {
        report.dropped.push(webhook);
        continue;
      }
      outgoing.push(webhook);
      if (this.random() < (faults.duplicateRate ?? 0)) {
        outgoing.push(webhook);
        report.duplicates += 1;
      }
    }
    if (faults.shuffle) {
      for (let i = outgoing.length - 1; i > 0; i -= 1) {
        const j = Math.floor(this.random() * (i + 1));
        [outgoing[i], outgoing[j]] = [outgoing[j] as QueuedWebhook, outgoing[i] as QueuedWebhook];
      }
    }
    batch = outgoing;
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const webhook = batch[next] as QueuedWebhook;
        next += 1;
        if (faults.delayMs) await new Promise((resolve) => setTimeout(resolve, faults.delayMs));
        report.sent += 1;
        if (await this.deliverWithRetries(webhook)) report.acknowledged += 1;
        else report.failed.push(webhook);
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency ?? 8 }, worker));
    return report;
  }

  private async deliverWithRetries(webhook: QueuedWebhook): Promise<boolean> {
    for (let attempt = 0; attempt < (this.options.maxAttempts ?? 3); attempt += 1) {
      try {
        const response = await this.post(webhook);
        if (response.ok) return true;
      } catch {
        // A connection error counts as a failed attempt, as it does for Shopify.
      }
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
    return false;
  }

  post(webhook: QueuedWebhook): Promise<Response> {
    const route = this.options.routes.get(webhook.topic) ?? "/";
    const request = new Request(new URL(route, this.options.appUrl), {
      method: "POST",
      body: webhook.body,
      headers: {
        "Content-Type": "application/json",
        "X-Shopify-Topic": webhook.topic,
        "X-Shopify-Hmac-Sha256": webhookHmac(webhook.body, this.options.secret),
        "X-Shopify-Shop-Domain": this.options.shop,
        "X-Shopify-Webhook-Id": webhook.webhookId,
        "X-Shopify-Event-Id": webhook.eventId,
        "X-Shopify-Triggered-At": webhook.triggeredAt,
        "X-Shopify-API-Version": this.options.apiVersion,
      },
      // Shopify gives up on a delivery after five seconds.
      signal: AbortSignal.timeout(5000),
    });
    return (this.options.send ?? fetch)(request);
  }
}
