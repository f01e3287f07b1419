import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import type { RequestHandler } from "express";
import { afterEach, describe, expect, it } from "vitest";
import { createAppFront } from "./app-front.server";

type Server = import("node:http").Server;
let server: Server | undefined;

afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

/** The front with `remix` standing in for the routes (it sees what Remix would be given). */
async function startFront(remix: RequestHandler): Promise<string> {
  const front = createAppFront({ webhooks: () => false, pixel: () => false, remix });
  await new Promise<void>((resolve) => {
    server = createServer(front).listen(0, "127.0.0.1", resolve);
  });
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}`;
}

/** A route that reads whatever body it is handed, as `request.formData()` does. */
const readsTheBody: RequestHandler = (request, response) => {
  const chunks: Buffer[] = [];
  if (Buffer.isBuffer(request.body)) chunks.push(request.body);
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => response.send(`read ${Buffer.concat(chunks).length} bytes`));
  if (request.readableEnded) response.send(`read ${Buffer.concat(chunks).length} bytes`);
};

/**
 * Streams `totalBytes` of zeros (declared or chunked) from a reused 1 MB buffer, stopping when
 * the server answers or hangs up. Resolves with the status, or 0 when the server only hung up.
 */
function postZeros(url: string, totalBytes: number, declared: boolean) {
  return new Promise<{ status: number; body: string }>((resolve) => {
    const chunk = Buffer.alloc(1024 * 1024);
    let sent = 0;
    let answered = false;
    const outgoing = httpRequest(
      url,
      {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          ...(declared ? { "Content-Length": String(totalBytes) } : {}),
        },
      },
      (response) => {
        answered = true;
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (text: string) => (body += text));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        response.on("error", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    outgoing.on("error", () => {
      if (!answered) resolve({ status: 0, body: "" });
    });
    const pump = () => {
      while (!answered && sent < totalBytes && !outgoing.destroyed) {
        sent += chunk.length;
        if (!outgoing.write(chunk)) {
          outgoing.once("drain", pump);
          return;
        }
      }
      if (sent >= totalBytes) outgoing.end();
    };
    pump();
  });
}

describe("request bodies", () => {
  it("refuses a 300 MB login POST with 413 without reading it: RSS grows by less than 50 MB", async () => {
    // GIVEN the app's front with a login route that would read its whole body
    const origin = await startFront(readsTheBody);
    global.gc?.();
    const before = process.memoryUsage().rss;
    // WHEN an attacker posts 300 MB to /auth/login, declared and then chunked
    const declared = await postZeros(`${origin}/auth/login`, 300 * 1024 * 1024, true);
    const chunked = await postZeros(`${origin}/email/unsubscribe`, 300 * 1024 * 1024, false);
    // THEN both are refused and the process barely grows
    const grownMb = (process.memoryUsage().rss - before) / 1024 / 1024;
    process.stdout.write(`RSS grew ${grownMb.toFixed(1)} MB over two 300 MB POSTs\n`);
    expect(grownMb).toBeLessThan(50);
    expect(declared.status).toBe(413);
    expect([413, 0]).toContain(chunked.status);
  }, 120_000);

  it("applies each route's limit and hands an allowed body to the routes intact", async () => {
    const origin = await startFront(readsTheBody);
    const post = (path: string, bytes: number) =>
      fetch(`${origin}${path}`, { method: "POST", body: "x".repeat(bytes) });
    expect((await post("/auth/login", 16 * 1024)).status).toBe(200);
    expect(await (await post("/auth/login", 16 * 1024)).text()).toBe(`read ${16 * 1024} bytes`);
    expect((await post("/auth/login", 16 * 1024 + 1)).status).toBe(413);
    expect((await post("/email/unsubscribe?token=t", 16 * 1024 + 1)).status).toBe(413);
    expect((await post("/proxy/events", 64 * 1024)).status).toBe(200);
    expect((await post("/proxy/events", 64 * 1024 + 1)).status).toBe(413);
    expect((await post("/app/winback/1", 64 * 1024 + 1)).status).toBe(200);
  });
});

describe("errors", () => {
  it("answer with a status line only, never the message or a stack trace", async () => {
    const origin = await startFront(() => {
      throw new Error("duplicate key value: (email)=(zoe@customer.example)");
    });
    const response = await fetch(`${origin}/app`);
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(text).toBe("Internal Server Error");
    expect(text).not.toContain("zoe@customer.example");
  });
});
