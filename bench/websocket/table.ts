// The WebSocket bench's table from its JSON lines: median round trips per CPU-second per client
// and socket count, and loadworker's ratio to the Go client (the goal is >= 2x).
// usage: bun bench/websocket/table.ts RESULTS.jsonl OUT.md
import { readFileSync, writeFileSync } from "node:fs";
import { groupBy, median } from "../lib/stats.ts";

interface Run {
  client: string;
  sockets: number;
  roundTrips: number;
  cpuSeconds: number;
  seconds: number;
}

const [input = "", output = ""] = process.argv.slice(2);
const runs = readFileSync(input, "utf8")
  .split("\n")
  .filter((line) => line.startsWith("{"))
  .map((line) => JSON.parse(line) as Run);
const rate = (runs: Run[]) => median(runs.map((r) => r.roundTrips / r.cpuSeconds));
const lines = [
  "| sockets | client | round trips/s (median) | CPU-s per s | round trips per CPU-second (median) | vs Go |",
  "| ---: | --- | ---: | ---: | ---: | ---: |",
];
for (const [sockets, group] of groupBy(runs, (r) => String(r.sockets))) {
  const go = rate(group.filter((r) => r.client === "go-gorilla"));
  for (const [client, own] of groupBy(group, (r) => r.client)) {
    const throughput = median(own.map((r) => r.roundTrips / r.seconds));
    const busy = median(own.map((r) => r.cpuSeconds / r.seconds));
    const perCpu = rate(own);
    lines.push(
      `| ${sockets} | ${client} | ${Math.round(throughput)} | ${busy.toFixed(2)} | ${Math.round(perCpu)} | ${(perCpu / go).toFixed(2)}× |`,
    );
  }
}
const table = `${lines.join("\n")}\n\n${runs.length} runs from ${input}\n`;
if (output !== "") writeFileSync(output, table);
console.log(table);
