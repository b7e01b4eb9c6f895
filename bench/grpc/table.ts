// The table of bench/grpc/vs-ghz.sh: per channel layout and generator, the median calls per
// CPU-second over the rounds, and its ratio to ghz's in the same layout (the goal: client ≥ 0.5×).
// usage: bun bench/grpc/table.ts <results.tsv>
import { readFileSync } from "node:fs";
import { groupBy, median, perCpu } from "../lib/stats.ts";

const file = process.argv[2];
if (file === undefined) throw new Error("usage: bun bench/grpc/table.ts <results.tsv>");
const runs = readFileSync(file, "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [generator = "", channels = "", requests, wall, cpu] = line.split("\t");
    return { generator, channels, requests: Number(requests), wall: Number(wall), cpu: Number(cpu) };
  });
const rows = ["| channels | generator | calls/s (wall) | calls per CPU-second | × ghz |", "| --- | --- | ---: | ---: | ---: |"];
for (const [channels, sameLayout] of groupBy(runs, (r) => r.channels)) {
  const byGenerator = groupBy(sameLayout, (r) => r.generator);
  const ghz = median((byGenerator.get("ghz") ?? []).map(perCpu));
  for (const [generator, group] of byGenerator) {
    const rate = median(group.map(perCpu));
    const wall = median(group.map((r) => (r.wall > 0 ? r.requests / r.wall : 0)));
    const ratio = ghz > 0 ? `${(rate / ghz).toFixed(2)}×` : "–";
    rows.push(
      `| ${channels} | ${generator} | ${Math.round(wall).toLocaleString("en")} | ${Math.round(rate).toLocaleString("en")} | ${ratio} |`,
    );
  }
}
console.log(rows.join("\n"));
