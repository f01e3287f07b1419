import { startSmtpSink } from "../../tests/helpers/smtp-sink";
import type { SinkReply, SinkRequest } from "./smtp-sink-process";

// The SMTP sink in a process of its own (started by smtp-sink-process.ts): the merchant's mail
// server is another machine, so the bench's worker must not share its thread with it.
const sink = await startSmtpSink();
const reply = (message: SinkReply) => process.send?.(message);

process.on("message", (request: SinkRequest) => {
  switch (request.type) {
    case "waitFor":
      sink.waitFor(request.count, request.timeoutMs).then(
        () => reply({ type: "reached" }),
        (error: Error) => reply({ type: "timedOut", error: error.message }),
      );
      return;
    case "messageIds":
      reply({ type: "messageIds", ids: sink.messages.map((message) => message.messageId) });
      return;
  }
});
// The bench ends by disconnecting (or by dying): the sink goes with it.
process.on("disconnect", () => void sink.close().then(() => process.exit()));
reply({ type: "listening", host: sink.host, port: sink.port });
