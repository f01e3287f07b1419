import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

// The floor of webhook ingest on this machine: a bare node:http server that reads the body,
// checks its HMAC (timing-safe) and answers. No framework, no storage.
const secret = process.env.SHOPIFY_API_SECRET ?? "";
const port = Number(process.env.PORT);

createServer((request, response) => {
  const hmac = createHmac("sha256", secret);
  request.on("data", (chunk: Buffer) => hmac.update(chunk));
  request.on("end", () => {
    const expected = Buffer.from(hmac.digest("base64"));
    const given = Buffer.from(String(request.headers["x-shopify-hmac-sha256"] ?? ""));
    const valid = given.length === expected.length && timingSafeEqual(given, expected);
    response.writeHead(valid ? 200 : 401).end();
  });
}).listen(port, "127.0.0.1");
