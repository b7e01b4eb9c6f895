// An HTTP/2 user: a dashboard page, then its ten widgets at once. With `http: { http2: true }` the
// ten calls are ten streams on the user's one connection (over HTTP/1.1 they would be ten
// connections). Each widget call checks it really came over HTTP/2 (catchResponse), so a server
// that only offers HTTP/1.1 by ALPN shows up as failures, not as a quiet fall back.
import { between, defineUser } from "loadworker";

const WIDGETS = ["sales", "orders", "stock", "visitors", "errors", "latency", "queue", "alerts", "news", "weather"];

export const dashboard = defineUser({
  name: "Dashboard",
  waitTime: between(0.5, 1),
  http: {
    http2: true, // h2 by ALPN over https://; "h2c" also speaks it over http:// with prior knowledge
    // serve.sh's certificate is self-signed, made on the spot: drop this against a real certificate.
    rejectUnauthorized: false,
  },
  tasks: [
    {
      name: "open dashboard",
      fn: async ({ client }) => {
        await client.get("/");
        const widgets = await Promise.all(
          WIDGETS.map((widget) => client.get(`/api/widgets/${widget}`, { name: "/api/widgets/[name]", catchResponse: true })),
        );
        for (const res of widgets) {
          if (!res.ok) res.failure(res.error ?? `status ${res.status}`);
          else if (res.httpVersion !== "2") res.failure(`HTTP/${res.httpVersion}, not HTTP/2: does the server offer h2?`);
          else res.success();
        }
      },
    },
  ],
});
