// One WebSocket connection of a simulated user: the handshake, then messages in both directions,
// every one of them recorded (docs/websocket.md says how): WS-conn, WS (a request's round
// trip), WS-send and WS-recv. Failures are recorded before the call that meets them rejects.
import { abortError, networkError } from "../http/errors.ts";
import type { ByteSocket, ByteSocketEvents } from "../platform/tcp-socket.ts";
import { messageFrame, readMessage } from "./payload.ts";
import { closeOfOurs, userStopped, WebSocketError, type WebSocketErrorCode } from "./errors.ts";
import { closeName, closePayload, encodeFrame, type FrameEvents, FrameParser, OPCODE } from "./frame.ts";
import { checkAnswer, HeadReader, upgradeRequest } from "./handshake.ts";
import { checkTimeout, type ReceiveOptions, type RequestOptions, type Settings } from "./options.ts";
import { connectTransport } from "./transport.ts";
import type { Endpoint } from "./url.ts";
import { Calls, type Message, type Owner, TYPE } from "./calls.ts";

/** After close(), how long the server has to answer with its close frame. */
const CLOSE_WAIT_MS = 2_000;

type Phase = "connecting" | "open" | "closing" | "closed";

export class WebSocketConnection implements ByteSocketEvents, FrameEvents {
  /** The subprotocol the server chose ("" when none). */
  protocol = "";
  /** permessage-deflate was agreed. */
  compression = false;
  private phase: Phase = "connecting";
  private readonly socket: ByteSocket;
  private parser: FrameParser | undefined;
  private readonly head = new HeadReader();
  private readonly key: string;
  private readonly calls: Calls;
  private readonly started: number;
  private opened: ((socket: WebSocketConnection) => void) | undefined;
  private refused: ((reason: unknown) => void) | undefined;
  private failure: WebSocketError | undefined; // why the socket ended, for calls made afterwards
  private closedWhen: Promise<void> | undefined;
  private onClosed: (() => void) | undefined;

  constructor(
    readonly endpoint: Endpoint,
    readonly name: string,
    private readonly settings: Settings,
    private readonly owner: Owner<WebSocketConnection>,
  ) {
    const request = upgradeRequest(endpoint, settings.headers, settings.subprotocols, settings.compression);
    this.key = request.key;
    this.started = owner.clock.now();
    this.calls = new Calls(owner, name, endpoint.href, this.expired, settings.inbox);
    this.calls.setOwn(settings.timeoutMs === Infinity ? Infinity : performance.now() + settings.timeoutMs);
    this.socket = connectTransport(endpoint, settings.rejectUnauthorized, this);
    this.socket.write(request.bytes);
  }

  /** @internal Resolves with this socket once the server switched protocols. */
  whenOpen(): Promise<WebSocketConnection> {
    return new Promise((resolve, reject) => {
      this.opened = resolve;
      this.refused = reject;
    });
  }

  /** Sends one message (a string as text, bytes as binary); counted as WS-send with its size. */
  send(data: Message): void {
    this.usable();
    const { frame, bytes } = messageFrame(data, this.compression);
    this.socket.write(frame);
    this.owner.recorder.success(TYPE.send, this.name, 0, bytes, this.owner.task());
  }

  /** The next message (text as a string, binary as bytes); each is counted as WS-recv when it arrives. */
  receive(options?: ReceiveOptions): Promise<Message> {
    const queued = this.calls.take();
    if (queued !== undefined) return Promise.resolve(queued);
    return this.wait(false, undefined, this.name, options?.timeoutMs, false) as Promise<Message>;
  }

  /**
   * Sends `data` and waits for the first message after it that `match` accepts (any, by default):
   * one WS request recorded with the round-trip time and the reply's length. Messages that do not
   * match stay for receive() and are counted as WS-recv.
   */
  request(data: Message, options?: RequestOptions): Promise<Message> {
    const name = options?.name ?? this.name;
    this.usable();
    const reply = this.wait(true, options?.match, name, options?.timeoutMs, false) as Promise<Message>;
    this.socket.write(messageFrame(data, this.compression).frame);
    return reply;
  }

  /** Closes with a close frame and waits (2 s at most) for the server's; calls still waiting reject, iterations end. */
  close(code = 1000, reason = ""): Promise<void> {
    if (this.phase === "open") {
      this.phase = "closing";
      this.socket.write(encodeFrame(OPCODE.close, closePayload(code, reason)));
      this.failure = new WebSocketError("ECLOSED", `the WebSocket to ${this.endpoint.href} was closed by the task`, false);
      this.calls.endAll(this.failure, false);
      this.calls.setOwn(performance.now() + CLOSE_WAIT_MS);
    }
    this.closedWhen ??= this.phase === "closed" ? Promise.resolve() : new Promise((resolve) => (this.onClosed = resolve));
    return this.closedWhen;
  }

  /** Messages until the socket is closed: by close() the loop ends; by the server it throws (recorded). */
  async *[Symbol.asyncIterator](): AsyncGenerator<Message, void, undefined> {
    for (;;) {
      const queued = this.calls.take();
      if (queued !== undefined) {
        yield queued;
        continue;
      }
      const next = await this.wait(false, undefined, this.name, Infinity, true);
      if (next === undefined) return;
      yield next;
    }
  }

  /** @internal The user stopped: close at once, calls in flight reject unrecorded. */
  destroy(reason: unknown): void {
    if (this.phase === "closed") return;
    if (this.phase === "connecting") return this.abandon(abortError(reason));
    if (this.phase === "open") this.socket.write(encodeFrame(OPCODE.close, closePayload(1001, "going away")));
    this.failure = userStopped(this.endpoint.href, reason);
    this.end(abortError(reason));
  }

  /** @internal ByteSocketEvents */
  data(chunk: Uint8Array): void {
    if (this.parser !== undefined) return this.parser.push(chunk);
    if (this.phase !== "connecting") return;
    const read = this.head.push(chunk);
    if (read === undefined) return;
    if (typeof read === "string") return this.connectFailed("EUPGRADE", `${this.endpoint.href}: ${read}`);
    const answer = checkAnswer(read.head, this.key, this.settings.subprotocols, this.settings.compression);
    if (!answer.ok) return this.connectFailed("EUPGRADE", `${this.endpoint.href}: ${answer.reason}`);
    this.phase = "open";
    this.protocol = answer.protocol;
    this.compression = answer.compression;
    this.parser = new FrameParser(this.settings.maxMessageBytes, answer.compression, this);
    this.calls.setOwn(Infinity);
    this.owner.recorder.success(TYPE.connect, this.name, this.owner.clock.now() - this.started, 0, this.owner.task());
    const opened = this.opened;
    this.opened = this.refused = undefined;
    opened?.(this);
    if (read.rest.length > 0) this.parser.push(read.rest);
  }

  // @internal `graceful` after a close handshake: FIN, not a reset (RFC 6455 §7.1.1; a server logs a reset as an error).
  end(reason?: unknown, graceful = false): void {
    if (this.phase === "closed") return;
    if (this.phase === "connecting")
      return this.connectFailed("ECONNRESET", `${this.endpoint.href}: the server closed the connection during the handshake`);
    if (this.phase === "open" && reason === undefined) {
      return this.lost("ECONNRESET", `the connection to ${this.endpoint.href} ended without a close frame`);
    }
    const failure = reason ?? this.failure;
    if (failure instanceof WebSocketError) this.failure = failure;
    this.phase = "closed";
    this.parser?.stop();
    graceful ? this.socket.close() : this.socket.destroy();
    this.calls.endAll(failure, failure instanceof WebSocketError && failure.recorded);
    this.owner.ended(this);
    this.onClosed?.();
  }

  /** @internal */
  error(error: unknown): void {
    const cause = networkError(error, this.endpoint.authority);
    if (this.phase === "connecting") return this.connectFailed(cause.code as WebSocketErrorCode, cause.message, error);
    if (this.phase === "open") this.lost(cause.code as WebSocketErrorCode, cause.message);
    else this.end(this.failure);
  }

  /** @internal FrameEvents */
  message(payload: Uint8Array, binary: boolean, compressed: boolean): void {
    // The length recorded is the message's, as the HTTP client records a decoded body's.
    const read = readMessage(payload, binary, compressed, this.settings.maxMessageBytes);
    if ("code" in read) return this.broken(read.code, read.reason);
    if (this.phase === "open" && !this.calls.deliver(read.message, read.bytes)) this.broken(1008, this.calls.fullReason(read.bytes));
  }

  /** @internal */
  control(opcode: number, payload: Uint8Array): void {
    if (opcode === OPCODE.ping) {
      if (this.phase === "open") this.socket.write(encodeFrame(OPCODE.pong, payload));
      return;
    }
    if (opcode !== OPCODE.close) return;
    if (this.phase === "closing") return this.end(this.failure, true);
    const code = payload.length >= 2 ? ((payload[0] as number) << 8) | (payload[1] as number) : 1005;
    const text = payload.length > 2 ? ` "${new TextDecoder().decode(payload.subarray(2))}"` : "";
    this.socket.write(encodeFrame(OPCODE.close, payload.subarray(0, 2)));
    const why = `the server closed the WebSocket ${this.endpoint.href}: code ${code} (${closeName(code)})${text}`;
    this.end(new WebSocketError("ECLOSED", why, true), true);
  }

  /** @internal The stream broke (1002, 1007), a message was too big (1009), or one found the inbox full (1008: not held without bound). */
  broken(code: number, reason: string): void {
    if (this.phase !== "open") return;
    const [error, text] = closeOfOurs(code);
    this.socket.write(encodeFrame(OPCODE.close, closePayload(code, text)));
    this.lost(error, `${reason}; closed ${this.endpoint.href} with ${code} (${closeName(code)})`);
  }

  private wait(
    request: boolean,
    match: RequestOptions["match"],
    name: string,
    timeoutMs: number | undefined,
    iterating: boolean,
  ): Promise<Message | undefined> {
    if (this.phase !== "open") {
      if (iterating && this.failure?.recorded === false && this.failure.code === "ECLOSED") return Promise.resolve(undefined);
      return Promise.reject(this.failure ?? new WebSocketError("ECLOSED", `the WebSocket to ${this.endpoint.href} is closed`, false));
    }
    return this.calls.wait(request, match, name, timeoutMs === undefined ? this.settings.timeoutMs : checkTimeout(timeoutMs), iterating);
  }

  // Sending on a socket that ended: what ended it was recorded then; a socket the task closed is a bug in the task.
  private usable(): void {
    if (this.phase === "open") return;
    throw this.failure ?? new WebSocketError("ECLOSED", `the WebSocket to ${this.endpoint.href} is closed`, false);
  }

  // The handshake or our close frame went unanswered in time.
  private readonly expired = (): void => {
    if (this.phase !== "connecting") return this.end(this.failure);
    this.connectFailed("ETIMEDOUT", `${this.endpoint.href}: no handshake answer within ${this.settings.timeoutMs} ms`);
  };

  private connectFailed(code: WebSocketErrorCode, reason: string, cause?: unknown): void {
    this.owner.recorder.failure(TYPE.connect, this.name, this.owner.clock.now() - this.started, reason, 0, this.owner.task());
    this.abandon(new WebSocketError(code, reason, true, cause));
  }

  // Before the handshake completed: no socket for the task, the connect call rejects.
  private abandon(error: Error): void {
    const refused = this.refused;
    this.opened = this.refused = undefined;
    this.failure = error instanceof WebSocketError ? error : undefined;
    this.phase = "closed";
    this.calls.endAll(error, false);
    this.socket.destroy();
    this.owner.ended(this);
    refused?.(error);
  }

  // The server closed, the connection dropped, or the stream broke: recorded, then every call rejects.
  private lost(code: WebSocketErrorCode, reason: string): void {
    this.end(new WebSocketError(code, reason, true));
  }
}
