import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/**
 * A local SMTP server that keeps what it is sent: the stand-in for a merchant's mail server in
 * tests and in the demo. Listens on 127.0.0.1 on a free port, takes mail with or without a
 * login (any credentials pass), never offers STARTTLS, and can be told to refuse the next
 * recipients with a 4xx or 5xx reply, or to drop the connection at a recipient (nothing sent) or
 * once a message has arrived without answering (the client cannot know whether it was taken), to
 * exercise failure handling.
 */

export interface CaughtMessage {
  /** MAIL FROM and RCPT TO, as the client sent them. */
  envelope: { from: string; to: string[] };
  /** The login the client used, if any. */
  user: string | null;
  /** Header names lower-cased, folded lines joined, encoded words decoded. */
  headers: Map<string, string>;
  to: string;
  subject: string;
  messageId: string;
  listUnsubscribe: string | null;
  listUnsubscribePost: string | null;
  /** The decoded text/plain part ("" when there is none). */
  text: string;
  /** The decoded text/html part ("" when there is none). */
  html: string;
  /** The message exactly as received (what a .eml file holds). */
  raw: string;
}

export interface SmtpSink {
  readonly host: string;
  readonly port: number;
  readonly messages: CaughtMessage[];
  /** Resolves once at least `count` messages have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<CaughtMessage[]>;
  /** The next `count` RCPT TO commands get `code` (e.g. 450 or 550) instead of 250. */
  rejectNextRecipients(count: number, code: number, text?: string): void;
  /** The next `count` messages are kept, then the connection is cut instead of replying 250. */
  dropAfterNextMessages(count: number): void;
  /** The connection is cut at the next `count` RCPT TO commands, before any message is sent. */
  dropAtNextRecipients(count: number): void;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Called for each message as it arrives (the demo writes it to disk). */
  onMessage?: (message: CaughtMessage) => void;
  port?: number;
  /**
   * Milliseconds between keeping a message and answering 250: widens the moment in which a
   * sender that dies has handed a message over without learning that it was taken.
   */
  replyDelayMs?: number;
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: CaughtMessage[] = [];
  const waiters = new Set<() => void>();
  let rejections: { remaining: number; code: number; text: string } | null = null;
  let drops = 0;
  let recipientDrops = 0;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    logger: false,
    banner: "Rekindle SMTP sink",
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? "anonymous" });
    },
    onRcptTo(_address, session, callback) {
      if (recipientDrops > 0) {
        recipientDrops -= 1;
        cutConnection(session.id);
        return;
      }
      if (rejections && rejections.remaining > 0) {
        rejections.remaining -= 1;
        const error = new Error(rejections.text) as Error & { responseCode: number };
        error.responseCode = rejections.code;
        if (rejections.remaining === 0) rejections = null;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (error) => callback(error));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const message = parseMessage(raw, {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
        });
        message.user = typeof session.user === "string" ? session.user : null;
        messages.push(message);
        options.onMessage?.(message);
        for (const wake of [...waiters]) wake();
        if (drops > 0) {
          drops -= 1;
          cutConnection(session.id);
          return;
        }
        if (options.replyDelayMs) setTimeout(() => callback(), options.replyDelayMs);
        else callback();
      });
    },
  });
  server.on("error", () => undefined);
  // smtp-server has no public way to drop a client; its connections keep their socket here.
  const cutConnection = (sessionId: string) => {
    const connections = (server as unknown as { connections: Set<SinkConnection> }).connections;
    for (const connection of connections) {
      if (connection.id === sessionId) connection._socket.destroy();
    }
  };
  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    host: "127.0.0.1",
    port,
    messages,
    waitFor(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          cleanup();
          resolve(messages.slice());
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(`SMTP sink: ${messages.length} of ${count} messages after ${timeoutMs} ms`),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    rejectNextRecipients(count, code, text) {
      rejections = {
        remaining: count,
        code,
        text: text ?? (code >= 500 ? "5.1.1 Mailbox unavailable" : "4.2.1 Try again later"),
      };
    },
    dropAfterNextMessages(count) {
      drops = count;
    },
    dropAtNextRecipients(count) {
      recipientDrops = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface SinkConnection {
  id: string;
  _socket: { destroy(): void };
}

// ---------------------------------------------------------------------------------------------
// Just enough MIME to read what the app sends: headers, multipart/alternative, QP and base64.

function parseMessage(raw: string, envelope: CaughtMessage["envelope"]): CaughtMessage {
  const { headers, body } = splitHeaders(raw);
  const parts = { text: "", html: "" };
  collectParts(headers, body, parts);
  return {
    envelope,
    user: null,
    headers,
    to: headers.get("to") ?? "",
    subject: headers.get("subject") ?? "",
    messageId: headers.get("message-id") ?? "",
    listUnsubscribe: headers.get("list-unsubscribe") ?? null,
    listUnsubscribePost: headers.get("list-unsubscribe-post") ?? null,
    text: parts.text,
    html: parts.html,
    raw,
  };
}

function splitHeaders(raw: string): { headers: Map<string, string>; body: string } {
  const normalised = raw.replace(/\r\n/g, "\n");
  const end = normalised.indexOf("\n\n");
  const head = end === -1 ? normalised : normalised.slice(0, end);
  const body = end === -1 ? "" : normalised.slice(end + 2);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, decodeWords(line.slice(colon + 1).trim()));
  }
  return { headers, body };
}

function collectParts(
  headers: Map<string, string>,
  body: string,
  into: { text: string; html: string },
): void {
  const type = headers.get("content-type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const sections = body.split(`--${boundary}`).slice(1);
    for (const section of sections) {
      if (section.startsWith("--")) break;
      const part = splitHeaders(section.replace(/^\n/, ""));
      collectParts(part.headers, part.body, into);
    }
    return;
  }
  const decoded = decodeBody(body, headers.get("content-transfer-encoding") ?? "7bit");
  if (/^text\/html/i.test(type)) into.html ||= decoded;
  else if (/^text\/plain/i.test(type)) into.text ||= decoded;
}

function decodeBody(body: string, encoding: string): string {
  switch (encoding.toLowerCase()) {
    case "quoted-printable":
      return decodeQuotedPrintable(body);
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    default:
      return body;
  }
}

function decodeQuotedPrintable(value: string): string {
  // Non-ASCII bytes are always escaped, so each run of escapes holds whole UTF-8 sequences
  // (once the soft line breaks that may split one are gone).
  return value
    .replace(/=\n/g, "")
    .replace(/(?:=[0-9A-F]{2})+/gi, (run) =>
      Buffer.from(run.replace(/=/g, ""), "hex").toString("utf8"),
    );
}

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=`, `=?UTF-8?B?...?=`). */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_whole, _charset, kind: string, text: string) =>
      kind.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : decodeQuotedPrintable(text.replace(/_/g, " ")),
    );
}
