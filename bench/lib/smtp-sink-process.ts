import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { nextReply } from "./child-reply";
import { processTreeCpuMs } from "./process-cpu";

/**
 * The test SMTP sink (tests/helpers/smtp-sink.ts) in a child process, as a merchant's mail
 * server is another machine: it parses every message on its own thread, and its CPU is read
 * apart from the sender's. The bench asks it, over IPC, to say when `count` messages arrived and
 * for the Message-IDs it received (the duplicate check).
 */
export interface SmtpSinkProcess {
  readonly host: string;
  readonly port: number;
  /** Resolves once at least `count` messages have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  /** The Message-ID of every message received, copies included. */
  messageIds(): Promise<string[]>;
  /** CPU milliseconds the sink's process has used so far (undefined without /proc). */
  cpuMs(): number | undefined;
  close(): Promise<void>;
}

export type SinkRequest =
  { type: "waitFor"; count: number; timeoutMs: number } | { type: "messageIds" };

export type SinkReply =
  | { type: "listening"; host: string; port: number }
  | { type: "reached" }
  | { type: "timedOut"; error: string }
  | { type: "messageIds"; ids: string[] };

export async function startSmtpSinkProcess(): Promise<SmtpSinkProcess> {
  const child = fork(fileURLToPath(new URL("./smtp-sink-child.ts", import.meta.url)), {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = async <T extends SinkReply["type"]>(type: T) => {
    const reply = await nextReply<SinkReply>(
      child,
      (reply) => reply.type === type || (type === "reached" && reply.type === "timedOut"),
    );
    if (reply.type === "timedOut") throw new Error(reply.error);
    return reply as Extract<SinkReply, { type: T }>;
  };
  const request = (message: SinkRequest) => child.send(message);
  const { host, port } = await next("listening");
  return {
    host,
    port,
    async waitFor(count, timeoutMs) {
      const reached = next("reached");
      request({ type: "waitFor", count, timeoutMs });
      await reached;
    },
    async messageIds() {
      const reply = next("messageIds");
      request({ type: "messageIds" });
      return (await reply).ids;
    },
    cpuMs: () => (child.pid === undefined ? undefined : processTreeCpuMs([child.pid])),
    close: () => closeChild(child),
  };
}

async function closeChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.disconnect();
  await exited;
}
