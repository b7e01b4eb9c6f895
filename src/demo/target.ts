// The demo target: a small local HTTP service so the examples, the image and the tests
// have something to load without sending traffic anywhere else. node:http only (Bun and Deno).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { LoadworkerError } from "../errors.ts";

export interface DemoTargetOptions {
  port: number; // 0 picks a free port
  bind: string;
  /** Upper bound for /delay/:ms; 10 s unless a test wants it smaller. */
  maxDelayMs?: number;
}

export interface DemoTarget {
  port: number;
  close(): Promise<void>;
  /** Requests served so far, `/__stats` itself excluded. */
  count(): number;
}

const MAX_BODY_BYTES = 64 * 1024;
const MAX_TRACKED_PATHS = 1_000; // per-path counters stay bounded whatever clients request
const ITEMS = Array.from({ length: 50 }, (_, i) => ({ id: i + 1, name: `item-${i + 1}`, price: (i + 1) * 3 }));

export async function startDemoTarget({ port, bind, maxDelayMs = 10_000 }: DemoTargetOptions): Promise<DemoTarget> {
  // Loaded here, not imported: the worker bundles this command and would pay RSS for both.
  const [{ createHmac, randomBytes }, { createServer }] = await Promise.all([import("node:crypto"), import("node:http")]);
  // Tokens are HMACs under a per-process secret: stateless, so a login flood needs no memory.
  const secret = randomBytes(32);
  const sign = (user: string) => createHmac("sha256", secret).update(user).digest("base64url");
  const perPath = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let total = 0;

  const countPath = (path: string) => {
    total += 1;
    const key = perPath.has(path) || perPath.size < MAX_TRACKED_PATHS ? path : "(other)";
    perPath.set(key, (perPath.get(key) ?? 0) + 1);
  };

  const authorized = (req: IncomingMessage): boolean => {
    const match = /^Bearer demo\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(req.headers.authorization ?? "");
    if (!match) return false;
    const user = Buffer.from(match[1] ?? "", "base64url").toString();
    return sign(user) === match[2];
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://demo.local");
    const path = url.pathname;
    const method = req.method ?? "GET";
    if (path !== "/__stats") countPath(path);
    const route = (m: string, p: string | RegExp) => method === m && (typeof p === "string" ? path === p : p.test(path));

    if (route("GET", "/")) {
      return json(res, 200, {
        service: "loadworker demo target",
        endpoints: [
          "GET /get",
          "POST /login",
          "GET /api/items",
          "GET /api/items/:id",
          "GET /status/:code",
          "GET /delay/:ms",
          "GET /__stats",
        ],
      });
    }
    if (route("GET", "/get")) {
      return json(res, 200, {
        args: Object.fromEntries(url.searchParams),
        headers: req.headers,
        origin: req.socket.remoteAddress ?? "",
        url: `http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`,
      });
    }
    if (route("POST", "/login")) {
      const body = await readBody(req);
      if (body === undefined) return json(res, 413, { error: `body larger than ${MAX_BODY_BYTES} bytes` });
      const user = loginName(body, req.headers["content-type"] ?? "");
      const token = `demo.${Buffer.from(user).toString("base64url")}.${sign(user)}`;
      return json(res, 200, { token, user });
    }
    if (route("GET", "/api/items") || route("GET", /^\/api\/items\/[^/]+$/)) {
      if (!authorized(req)) return json(res, 401, { error: "missing or invalid 'Authorization: Bearer <token>' (POST /login)" });
      if (path === "/api/items") return json(res, 200, { items: ITEMS.map(({ id, name }) => ({ id, name })) });
      const item = ITEMS[Number(path.slice("/api/items/".length)) - 1];
      return item ? json(res, 200, item) : json(res, 404, { error: "no such item" });
    }
    const status = /^\/status\/(\d{3})$/.exec(path);
    if (method === "GET" && status) {
      const code = Number(status[1]);
      if (code < 200 || code > 599) return json(res, 400, { error: "status must be 200..599" });
      if (code === 204 || code === 304) return void res.writeHead(code).end();
      return json(res, code, { status: code });
    }
    const delay = /^\/delay\/(\d+)$/.exec(path);
    if (method === "GET" && delay) {
      // Bounded so a typo cannot park connections for hours.
      const ms = Math.min(Number(delay[1]), maxDelayMs);
      const timer = setTimeout(() => {
        timers.delete(timer);
        json(res, 200, { delayed_ms: ms });
      }, ms);
      timers.add(timer);
      res.on("close", () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
      return;
    }
    if (route("GET", "/__stats")) return json(res, 200, { total, paths: Object.fromEntries(perPath) });
    return json(res, 404, { error: `no route for ${method} ${path}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: String(error) });
      else res.destroy();
    });
  });
  // Load generators reuse connections; outlive typical client idle timeouts so they see no resets.
  server.keepAliveTimeout = 65_000;
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new LoadworkerError("E_USAGE", `port ${port} on ${bind} is already in use; pass another --port or stop what holds it`)
          : error,
      );
    };
    server.once("error", onError);
    server.listen(port, bind, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;

  return {
    port: boundPort,
    count: () => total,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open until their idle timeout.
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { "content-type": "application/json", "content-length": bytes.length });
  res.end(bytes);
}

/** The request body, or undefined when it exceeds MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString();
}

// Any credentials log in: the demo is about exercising the auth flow, not about security.
function loginName(body: string, contentType: string): string {
  let name: unknown;
  if (contentType.includes("application/json")) {
    try {
      const fields = JSON.parse(body) as { username?: unknown; user?: unknown } | null;
      name = fields?.username ?? fields?.user;
    } catch {
      name = undefined; // a malformed body still logs in, as the anonymous user
    }
  } else {
    const form = new URLSearchParams(body);
    name = form.get("username") ?? form.get("user");
  }
  return typeof name === "string" && name !== "" ? name.slice(0, 64) : "anonymous";
}
