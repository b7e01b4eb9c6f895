// A chat-like WebSocket user: join with a request/reply, send a few messages and read their
// echoes, send a binary frame, close. Every step is a row at the master (docs/websocket.md):
// WS-conn /echo, WS join, WS binary, WS-send /echo and WS-recv /echo.
import { between, defineUser } from "loadworker";

export const chatUser = defineUser({
  name: "ChatUser",
  waitTime: between(0.5, 1.5),
  tasks: [
    {
      name: "chat",
      fn: async ({ websocket, userId }) => {
        // Relative to the host: --host http://127.0.0.1:8765 connects to ws://127.0.0.1:8765/echo.
        const ws = await websocket("/echo", { timeoutMs: 5_000 });
        try {
          const join = JSON.stringify({ type: "join", user: userId });
          await ws.request(join, { name: "join", match: (reply) => reply === join });
          for (let i = 0; i < 3; i++) ws.send(`message ${i} from user ${userId}`);
          for (let i = 0; i < 3; i++) await ws.receive();
          await ws.request(new Uint8Array([1, 2, 3, 4]), { name: "binary" });
        } finally {
          await ws.close();
        }
      },
    },
  ],
});
