import type { ChildProcess } from "node:child_process";

/**
 * The first IPC message from `child` that `wanted` accepts; rejects if the child exits first.
 * For the bench's helper processes, which answer requests with typed replies.
 */
export function nextReply<Reply>(
  child: ChildProcess,
  wanted: (reply: Reply) => boolean,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: Reply) => {
      if (!wanted(reply)) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(reply);
    };
    const onExit = (code: number | null) => {
      child.off("message", onMessage);
      reject(new Error(`a bench helper process exited (${code})`));
    };
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}
