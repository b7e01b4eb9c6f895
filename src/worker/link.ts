// The worker's seam to its master: what the shell needs from a transport. The ZMTP DEALER is
// the real one; tests pass a fake and drive a whole worker in process, without sockets.
import type { Logger } from "../log.ts";
import { DealerSocket } from "../transport/index.ts";

export interface LinkEvents {
  /** One message from the master: its frames (Locust sends one). */
  onMessage(frames: Uint8Array[]): void;
  onConnected(): void;
  onDisconnected(reason: string): void;
}

export interface WorkerLink {
  /** Connect, and keep reconnecting until close(). */
  start(): void;
  /** One single-frame message; queued while disconnected. */
  send(frame: Uint8Array): void;
  /** Drop the connection and open a new one with the same identity. */
  reconnect(reason: string): void;
  /** Flush what was sent (bounded), then close for good. */
  close(): Promise<void>;
  readonly connected: boolean;
}

/** Makes the link for a node id; the worker passes its events. */
export type LinkFactory = (identity: string, events: LinkEvents) => WorkerLink;

export interface MasterAddress {
  host: string;
  port: number;
}

/** The real link: a ZMTP DEALER to the Locust master's ROUTER. */
export function dealerLink(master: MasterAddress, log: Logger): LinkFactory {
  return (identity, events) => {
    log.info(`connecting to the Locust master at ${master.host}:${master.port} as ${identity}`);
    return new DealerSocket({ host: master.host, port: master.port, identity, log }, events);
  };
}
