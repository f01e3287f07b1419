import type { IncomingMessage, ServerResponse } from "node:http";

export interface BoundedBodyHandlers {
  /** The whole body, at most the limit. */
  body(body: Buffer): void;
  /** Answers the refusal (413); the connection is closed after it, the rest never read. */
  tooLarge(): void;
}

/**
 * Reads a raw request's body for the fronts that answer before Express: refused unread when
 * its declared length is over `maxBytes`, and as soon as the bytes pass it when it is chunked.
 */
export function readBoundedBody(
  request: IncomingMessage,
  response: ServerResponse,
  maxBytes: number,
  handlers: BoundedBodyHandlers,
): void {
  const refuse = () => {
    response.setHeader("Connection", "close");
    handlers.tooLarge();
    response.once("finish", () => request.socket.destroy());
  };
  if (Number(request.headers["content-length"] ?? 0) > maxBytes) {
    refuse();
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  let refused = false;
  request.on("data", (chunk: Buffer) => {
    if (refused) return;
    received += chunk.length;
    if (received > maxBytes) {
      refused = true;
      refuse();
      return;
    }
    chunks.push(chunk);
  });
  request.on("end", () => {
    if (refused) return;
    handlers.body(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received));
  });
  request.on("error", () => request.socket.destroy());
}
