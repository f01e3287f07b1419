import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP proxy in front of the database that can "stop" it: every open connection is cut and
 * new ones are refused until it "starts" again, which is what the app sees when PostgreSQL is
 * restarted, without touching the server other tests share.
 */
export class TcpOutageProxy {
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  private available = true;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((client) => {
      if (!this.available) {
        client.destroy();
        return;
      }
      const upstream = connect(this.targetPort, this.targetHost);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    this.port = typeof address === "object" && address ? address.port : 0;
  }

  /** The database goes away: connections drop, new ones are refused. */
  stopDatabase(): void {
    this.available = false;
    for (const socket of this.sockets) socket.destroy();
  }

  startDatabase(): void {
    this.available = true;
  }

  async close(): Promise<void> {
    this.stopDatabase();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
