// One client's HTTP/2 connections, one per origin (besides ones finishing their streams after a
// GOAWAY), and the origins whose TLS server chose HTTP/1.1 by ALPN. Made by the client's first
// HTTP/2 call; a client that never asks for HTTP/2 has none.
import type { Call } from "../call.ts";
import { type H2Owner, H2Session, type H2Settings } from "./session.ts";
import type { Origin } from "../request.ts";

export class H2Sessions implements H2Owner {
  private readonly open = new Map<string, H2Session>();
  private readonly h1Only = new Set<string>();
  private last: H2Session | undefined; // found by its origin object: a user's calls share their cached hop's

  constructor(
    private readonly settings: H2Settings,
    /** Sends a call's hop again, HTTP/1.1 or HTTP/2 as its origin now goes (connect.ts). */
    private readonly send: (call: Call) => void,
  ) {}

  /** The origin's TLS server chose HTTP/1.1 by ALPN: its calls go to the HTTP/1.1 pool. */
  speaksH1(origin: Origin): boolean {
    return this.h1Only.size > 0 && this.h1Only.has(origin.key);
  }

  /** The origin's session, opened when there is none (or only one that takes no new streams). */
  for(origin: Origin): H2Session {
    const last = this.last;
    if (last !== undefined && last.origin === origin && !last.dead) return last;
    let session = this.open.get(origin.key);
    if (session === undefined || session.dead) {
      session = new H2Session(origin, this.settings, this);
      this.open.set(origin.key, session);
    }
    this.last = session;
    return session;
  }

  /** HTTP/2 connections open. */
  get size(): number {
    return this.open.size;
  }

  /** Closes every session; calls in flight end with `reason`. */
  destroyAll(reason: unknown): void {
    const sessions = [...this.open.values()];
    this.open.clear();
    for (const session of sessions) session.destroy(reason);
  }

  /** @internal H2Owner */
  forget(session: H2Session): void {
    if (this.open.get(session.origin.key) === session) this.open.delete(session.origin.key);
  }

  /** @internal H2Owner */
  fallBack(origin: Origin, calls: Call[]): void {
    this.h1Only.add(origin.key);
    for (const call of calls) this.send(call);
  }

  /** @internal H2Owner: after a GOAWAY the refusing session is forgotten, so this takes a fresh one. */
  resend(call: Call): void {
    this.send(call);
  }
}
