import { afterAll, describe, expect, it } from "vitest";
import { subscribeShop } from "../helpers/app-plan";
import {
  createScratchPostgresDatabase,
  postgresUnavailableReason,
} from "../helpers/scratch-postgres";
import { spawnAppProcess } from "../helpers/app-process";
import { flowRunStatuses } from "../helpers/flow-runs";
import { killableWorkers } from "../helpers/killable-workers";
import { startSmtpSink } from "../helpers/smtp-sink";
import { migratedTestDatabase } from "../helpers/test-database";
import { localSmtpSettings, saveEmailSettings } from "~/services/email/email-settings.server";
import {
  IMMEDIATE_SEND_TIMING,
  saveSendTiming,
} from "~/services/send-timing/send-timing-settings.server";
import {
  createFlowFromTemplate,
  saveFlowSteps,
  setFlowActive,
} from "~/services/flows/flow-store.server";

// Three worker processes run a three-email flow for 120 customers on PostgreSQL through the
// pg-boss queue while one of them is SIGKILLed every few hundred milliseconds (and replaced),
// so kills land before, during and after SMTP conversations and commits. The mail server waits
// before answering each message, which widens the worst moment: the message is there, the
// sender dies before learning it. Then: every consenting customer has each email exactly once
// (one Message-ID per step; a copy sent again after such a kill carries the same Message-ID),
// nobody without consent gets anything, and every run finished.
const unavailable = await postgresUnavailableReason();
if (unavailable) console.warn(`flow kill test skipped: ${unavailable}`);
const scratch = unavailable ? undefined : await createScratchPostgresDatabase();
if (scratch) process.env.DATABASE_URL = scratch.url;
const { sql, prisma } = await migratedTestDatabase();

const CUSTOMERS = 120;
const UNSUBSCRIBED = new Set([7, 21, 42]);
const STEPS = [
  { kind: "email", subject: "First", body: "Hi {{first_name}}, one. {{unsubscribe_url}}" },
  {
    kind: "condition",
    condition: { type: "ordered_since_entry" },
    ifTrue: "exit",
    ifFalse: 2,
  },
  { kind: "email", subject: "Second", body: "Hi {{first_name}}, two. {{unsubscribe_url}}" },
  { kind: "email", subject: "Third", body: "Hi {{first_name}}, three. {{unsubscribe_url}}" },
];
const EMAIL_STEPS = 3;
/** A process is killed only once it has had time to load and start taking jobs. */
const SETTLED_MS = 2500;
/** Kills made before the processes are left to finish (so the test ends on a busy machine). */
const KILLS = 10;
const sink = await startSmtpSink({ replyDelayMs: 100 });

afterAll(async () => {
  workers.killAll();
  await sink.close();
  await sql.close();
  await scratch?.drop();
});

const spawnWorker = () =>
  spawnAppProcess({
    databaseUrl: scratch?.url,
    app: { apiKey: "flow-kill-key", secret: "flow-kill-secret", scopes: "read_customers" },
    args: ["tests/process/flow-worker-process.ts"],
    stderr: "inherit",
  });

const workers = killableWorkers(spawnWorker, SETTLED_MS);
const runStatuses = () => flowRunStatuses(sql);

describe.skipIf(unavailable)("flow steps under SIGKILL (PostgreSQL, worker processes)", () => {
  it("GIVEN workers killed at random WHEN a flow runs THEN each consenting customer gets each email once", async () => {
    const shopId = (await prisma.shop.create({ data: { domain: "kill.myshopify.com" } })).id;
    await subscribeShop(sql, shopId, "Growth");
    await saveEmailSettings(
      sql,
      shopId,
      localSmtpSettings(sink, { name: "Kill test", address: "shop@kill.example" }),
    );
    // Three emails in seconds, on the real clock: no quiet hours, best hour or two-a-week cap.
    await saveSendTiming(sql, shopId, IMMEDIATE_SEND_TIMING);
    await sql.query(
      `INSERT INTO customer (shop_id, id, email, first_name, email_marketing, created_at,
                             shopify_updated_at)
       SELECT $1, n, 'c' || n || '@example.com', 'C' || n,
              CASE WHEN n = ANY($3::int[]) THEN 'unsubscribed' ELSE 'subscribed' END, now(), now()
       FROM generate_series(1, $2) AS n`,
      [shopId, CUSTOMERS, [...UNSUBSCRIBED]],
    );
    const flowId = await createFlowFromTemplate(sql, shopId, "welcome");
    await saveFlowSteps(sql, shopId, flowId, STEPS);
    for (let i = 0; i < 3; i += 1) workers.start();
    // The flow is turned on once the processes are up, so that the kills land during its run.
    await expect
      .poll(workers.allSettled, {
        timeout: 120_000,
        interval: 500,
      })
      .toBe(true);
    await setFlowActive(sql, shopId, flowId, true, new Date(Date.now() - 60_000));

    let kills = 0;
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500 + Math.random() * 1000));
      const statuses = await runStatuses();
      if ((statuses.done ?? 0) === CUSTOMERS) break;
      if (kills >= KILLS) continue;
      // Killed at a random moment, a new process takes its place.
      if (workers.replaceOne()) kills += 1;
    }
    expect(await runStatuses()).toEqual({ done: CUSTOMERS });
    expect(kills).toBeGreaterThanOrEqual(3);

    const consenting = CUSTOMERS - UNSUBSCRIBED.size;
    const byCustomer = new Map<string, Set<string>>();
    for (const message of sink.messages) {
      const ids = byCustomer.get(message.to) ?? new Set<string>();
      ids.add(`${message.messageId} ${message.subject}`);
      byCustomer.set(message.to, ids);
    }
    for (const n of UNSUBSCRIBED) expect(byCustomer.has(`c${n}@example.com`)).toBe(false);
    expect(byCustomer.size).toBe(consenting);
    for (const [to, ids] of byCustomer) {
      const subjects = [...ids].map((id) => id.split(" ")[1]).sort();
      expect({ to, subjects }).toEqual({ to, subjects: ["First", "Second", "Third"] });
    }
    const { rows } = await sql.query<{ n: number; uniq: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT (run_id, step_index))::int AS uniq
       FROM message_flow_step WHERE shop_id = $1`,
      [shopId],
    );
    expect(rows[0]).toEqual({ n: CUSTOMERS * 4, uniq: CUSTOMERS * 4 });
    const distinct = consenting * EMAIL_STEPS;
    console.log(
      `flow kill test: ${kills} SIGKILLs, ${sink.messages.length} copies received for ` +
        `${distinct} distinct messages (${sink.messages.length - distinct} sent again after a kill or an expired step, ` +
        `each with its Message-ID), 0 to customers without consent`,
    );
  }, 300_000);
});
