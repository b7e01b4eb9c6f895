// Sockets the DEALER left (a reconnect) that may still be flushing what was written to them:
// each gets a bounded moment, and close() destroys the rest.
import type { Socket } from "node:net";

export class LingeringSockets {
  private readonly sockets = new Set<Socket>();

  constructor(private readonly timeoutMs: number) {}

  /** Ends `socket` gracefully, destroying it if it has not closed within the timeout. */
  add(socket: Socket): void {
    this.sockets.add(socket);
    const timer = setTimeout(() => socket.destroy(), this.timeoutMs);
    socket.once("close", () => {
      clearTimeout(timer);
      this.sockets.delete(socket);
    });
    socket.end();
  }

  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
