import "~/server/require-supported-node";
import { createServer } from "node:http";
import { createAppFront } from "~/server/app-front.server";
import { loadEnvOrExit } from "~/server/boot.server";
import { pixelFront } from "~/server/pixel-ingest.server";
import { webhookFront } from "~/server/webhook-ingest.server";

// A web process for the many-process test: the app's own Express front and webhook ingest
// (what `npm start` serves in front of Remix), without the Remix build, which would need a
// production build (`npm run build`) or a Vite dev server (about 30 s to start here). Webhooks
// never reach Remix. The test has migrated the database already.
const env = loadEnvOrExit();
const front = createAppFront({
  webhooks: webhookFront(),
  pixel: pixelFront(),
  remix: (_request, response) => {
    response.status(404).end();
  },
});
const server = createServer(front).listen(env.PORT, () => console.log(`WEB_READY ${env.PORT}`));
process.once("SIGTERM", () => server.close(() => process.exit(0)));
