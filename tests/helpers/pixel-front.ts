import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAppFront } from "~/server/app-front.server";
import { pixelFront } from "~/server/pixel-ingest.server";
import { webhookFront } from "~/server/webhook-ingest.server";

/**
 * The app's HTTP front as `npm start` builds it (webhook and pixel fronts on the raw request,
 * Express behind them) on a free port, with a stand-in for Remix, which no pixel request may
 * reach. Each call has its own rate limits.
 */
export async function startPixelTestFront(): Promise<{ origin: string; close(): Promise<void> }> {
  const front = createAppFront({
    webhooks: webhookFront(),
    pixel: pixelFront(),
    remix: (_request, response) => void response.status(404).send("not here"),
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = createServer(front).listen(0, "127.0.0.1", () => resolve(listening));
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
