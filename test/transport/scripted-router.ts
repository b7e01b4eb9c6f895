// Scripted node:net servers that play a (mis)behaving ZMTP ROUTER, for cases real peers never
// produce. (The Locust-level fake master, driven from Python, is test/support/fake-master.ts.)
import { createServer, type Server, type Socket } from "node:net";
import { type Decoded, FrameDecoder } from "../../src/transport/decoder.ts";
import { encodeGreeting, encodeReady, GREETING_SIZE } from "../../src/transport/zmtp.ts";
import { Inbox, within } from "../support/wait.ts";

export interface FakeConnection {
  socket: Socket;
  /** Commands and messages the DEALER sent, after its greeting. */
  received: Inbox<Decoded>;
  closed: Promise<void>;
}

export interface ScriptedRouter {
  port: number;
  connections: Inbox<FakeConnection>;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (`port` 0 picks one); `greet` writes whatever the scenario needs. */
export async function scriptedRouter(greet: (socket: Socket) => void, port = 0): Promise<ScriptedRouter> {
  const connections = new Inbox<FakeConnection>();
  const open = new Set<Socket>();
  const server: Server = createServer((socket) => {
    open.add(socket);
    const received = new Inbox<Decoded>();
    const decoder = new FrameDecoder(16 * 1024 * 1024);
    let greetingLeft = GREETING_SIZE;
    socket.on("data", (chunk: Uint8Array) => {
      const skip = Math.min(greetingLeft, chunk.length);
      greetingLeft -= skip;
      for (const item of decoder.push(chunk.subarray(skip))) received.push(item);
    });
    // The DEALER resets connections it rejects; that is expected here, not a test failure.
    socket.on("error", (error) => received.push({ kind: "command", body: new TextEncoder().encode(`error: ${error.message}`) }));
    const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
    void closed.then(() => open.delete(socket));
    connections.push({ socket, received, closed });
    greet(socket);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    connections,
    close: async () => {
      for (const socket of open) socket.destroy();
      await within(new Promise<void>((resolve) => server.close(() => resolve())), 2000, "the fake master to close");
    },
  };
}

/** A well-behaved ROUTER's opening: greeting and READY. */
export function routerOpening(socket: Socket): void {
  socket.write(encodeGreeting());
  socket.write(encodeReady([["Socket-Type", new TextEncoder().encode("ROUTER")]]));
}
