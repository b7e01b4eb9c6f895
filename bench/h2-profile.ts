// One side of bench/h2-ab.ts alone, for a CPU profile of where an HTTP/2 (or HTTP/1.1) request's
// time goes: `users` clients, each `perUser` calls in flight, for `seconds`.
// usage: bun --cpu-prof-md bench/h2-profile.ts <url> <http2: true|h2c|false> [users=50] [perUser=1] [seconds=5]
import { HttpClient } from "../src/http/index.ts";
import { createStats } from "../src/stats/index.ts";
import { systemClock } from "../src/clock.ts";

const [url = "", mode = "true", users = "50", perUser = "1", seconds = "5"] = process.argv.slice(2);
const recorder = createStats(systemClock).recorder;
const http2 = mode === "h2c" ? "h2c" : mode === "true";
const clients = Array.from({ length: Number(users) }, () => new HttpClient({ baseUrl: url, recorder, rejectUnauthorized: false, http2 }));
const end = performance.now() + Number(seconds) * 1000;
let requests = 0;
const cpu0 = process.cpuUsage();
await Promise.all(
  clients.flatMap((http) =>
    Array.from({ length: Number(perUser) }, async () => {
      while (performance.now() < end) {
        const response = await http.get("/");
        if (response.status !== 200) throw new Error(`status ${response.status}`);
        requests++;
      }
    }),
  ),
);
const used = process.cpuUsage(cpu0);
for (const http of clients) http.close();
console.log(
  JSON.stringify({
    url,
    mode,
    users: Number(users),
    perUser: Number(perUser),
    requests,
    reqPerCpuS: Math.round(requests / ((used.user + used.system) / 1e6)),
  }),
);
