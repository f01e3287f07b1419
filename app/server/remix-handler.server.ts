import {
  createRequestHandler,
  writeReadableStreamToWritable,
  type ServerBuild,
} from "@remix-run/node";
import type {
  Request as ExpressRequest,
  RequestHandler,
  Response as ExpressResponse,
} from "express";

/**
 * Remix behind Express, handing Remix the body `limitRequestBodies` already read and bounded
 * (`@remix-run/express` would stream the raw socket to the routes, past any limit).
 */
export function remixRequestHandler(
  build: ServerBuild | (() => Promise<ServerBuild>),
  mode: "production" | "development",
): RequestHandler {
  const handleRequest = createRequestHandler(build, mode);
  return (request, response, next) => {
    const started = { wall: performance.now(), cpu: process.cpuUsage() };
    handleRequest(remixRequest(request, response))
      .then((answer) => {
        response.append("Server-Timing", serverTiming(started));
        return sendAnswer(response, answer);
      })
      .catch(next);
  };
}

/**
 * How long the app took to start its answer (loaders, the page's shell): `app` in wall time and
 * `cpu` in the process' CPU time, which a busy machine stretches less (other requests the
 * process serves meanwhile are counted in too). Browsers show them beside the request, and
 * `npm run bench:admin` reads them from the page's navigation timing.
 */
function serverTiming(started: { wall: number; cpu: NodeJS.CpuUsage }): string {
  const cpu = process.cpuUsage(started.cpu);
  const wallMs = performance.now() - started.wall;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return `app;dur=${wallMs.toFixed(1)}, cpu;dur=${cpuMs.toFixed(1)}`;
}

function remixRequest(request: ExpressRequest, response: ExpressResponse): Request {
  const controller = new AbortController();
  // Abort loaders and actions once no answer can be written any more (the client left).
  response.on("close", () => {
    if (!response.writableFinished) controller.abort();
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    for (const item of Array.isArray(value) ? value : value ? [value] : []) {
      headers.append(name, item);
    }
  }
  const body: unknown = request.body;
  const hasBody = request.method !== "GET" && request.method !== "HEAD" && Buffer.isBuffer(body);
  return new Request(`${request.protocol}://${request.get("host")}${request.originalUrl}`, {
    method: request.method,
    headers,
    signal: controller.signal,
    body: hasBody ? new Uint8Array(body) : undefined,
  });
}

async function sendAnswer(response: ExpressResponse, answer: Response): Promise<void> {
  response.statusMessage = answer.statusText;
  response.status(answer.status);
  for (const [name, value] of answer.headers.entries()) response.append(name, value);
  if (answer.headers.get("Content-Type")?.match(/text\/event-stream/i)) response.flushHeaders();
  if (answer.body) await writeReadableStreamToWritable(answer.body, response);
  else response.end();
}
