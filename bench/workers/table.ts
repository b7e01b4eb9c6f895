// Formats bench/workers/run.sh's raw results (TSV) as markdown tables, one per mode: per user count
// and worker, the median over rounds of samples per worker CPU-second (http: nginx-counted requests
// in the steady window; record: the master's count in it) and ratios to the other generators;
// memory per idle user; start-up and size (startup.ts's JSON). A run that failed is listed with why.
// usage: bun bench/workers/table.ts <results.tsv> [--json out.json] [--startup startup.json]
import { readFileSync, writeFileSync } from "node:fs";
import { groupBy, median } from "../lib/stats.ts";

interface Run {
  mode: string;
  worker: string;
  users: number;
  round: number;
  status: string;
  count: number;
  nginx: number;
  master: number;
  wall: number;
  cpu: number;
  rssKb: number;
  hwmKb: number;
  masterRequests: number;
  masterFailures: number;
  nginxRun: number;
  load1: number;
}

const argv = process.argv.slice(2);
const opt = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const num = (s: string | undefined) => Number(s) || 0;
const runs: Run[] = readFileSync(argv[0] ?? "", "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const f = line.split("\t");
    return {
      mode: f[0] ?? "",
      worker: f[1] ?? "",
      users: num(f[2]),
      round: num(f[3]),
      status: f[4] ?? "",
      count: num(f[5]),
      nginx: num(f[6]),
      master: num(f[7]),
      wall: num(f[8]),
      cpu: num(f[9]),
      rssKb: num(f[10]),
      hwmKb: num(f[11]),
      masterRequests: num(f[12]),
      masterFailures: num(f[13]),
      nginxRun: num(f[14]),
      load1: num(f[15]),
    };
  });
const ok = (r: Run) => r.status === "ok";
const perCpu = (r: Run) => (r.cpu > 0 ? r.count / r.cpu : 0);
const mb = (kb: number) => (kb / 1024).toFixed(0);
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}..${Math.max(...xs).toFixed(0)}`;

function summarize(mode: string) {
  const groups = groupBy(
    runs.filter((r) => r.mode === mode),
    (r) => `${r.users}\t${r.worker}`,
  );
  return [...groups].map(([key, group]) => {
    const [users = "", worker = ""] = key.split("\t");
    const good = group.filter(ok);
    const rates = good.map(perCpu);
    return {
      users: Number(users),
      worker,
      rounds: group.length,
      failed: group.filter((r) => !ok(r)).map((r) => `round ${r.round}: ${r.status}`),
      perCpu: good.length ? median(rates) : 0,
      min: good.length ? Math.min(...rates) : 0,
      max: good.length ? Math.max(...rates) : 0,
      wall: good.length ? median(good.map((r) => r.count / r.wall)) : 0,
      cpuUse: good.length ? median(good.map((r) => r.cpu / r.wall)) : 0,
      rssKb: good.length ? median(good.map((r) => r.rssKb)) : 0,
      hwmKb: Math.max(0, ...good.map((r) => r.hwmKb)),
      masterFailures: good.reduce((s, r) => s + r.masterFailures, 0),
      masterOverNginx: median(good.map((r) => (r.nginxRun > 0 ? r.masterRequests / r.nginxRun : 0))),
    };
  });
}
type Summary = ReturnType<typeof summarize>[number];

function ratioTo(rows: Summary[], row: Summary, worker: string): string {
  const base = rows.find((r) => r.users === row.users && r.worker === worker);
  return base && base.perCpu > 0 && row.perCpu > 0 ? (row.perCpu / base.perCpu).toFixed(2) : "-";
}
const rate = (r: Summary, unit: string) => (r.failed.length === r.rounds ? `**failed**` : `${r.perCpu.toFixed(0)}${unit}`);

const out: string[] = [];
const http = summarize("http");
if (http.length) {
  out.push(
    "## HTTP: GET / on nginx, no wait (requests per CPU-second, nginx-counted)",
    "",
    "| users | worker | req/CPU-s (median) | min..max | × boomer | × launce | × wrk | × locust | req/s wall | CPU use | RSS MB (median, peak) | master failures | master ÷ nginx |",
    "|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const r of http) {
    const wrk = r.worker === "wrk";
    out.push(
      `| ${r.users} | ${r.worker} | ${rate(r, "")} | ${r.min.toFixed(0)}..${r.max.toFixed(0)} | ${ratioTo(http, r, "boomer")} | ${ratioTo(http, r, "launce")} | ` +
        `${ratioTo(http, r, "wrk")} | ${ratioTo(http, r, "locust")} | ${r.wall.toFixed(0)} | ${(r.cpuUse * 100).toFixed(0)}% | ${mb(r.rssKb)}, ${mb(r.hwmKb)} | ` +
        `${wrk ? "-" : r.masterFailures} | ${wrk ? "-" : r.masterOverNginx.toFixed(3)} |`,
    );
  }
  out.push("");
}
const record = summarize("record");
if (record.length) {
  out.push(
    "## Record only: tasks only call recordSuccess, no HTTP, no wait (samples per CPU-second, master-counted)",
    "",
    "| users | worker | samples/CPU-s (median) | min..max | × launce | × loadworker | samples/s wall | CPU use | RSS MB (median, peak) |",
    "|---:|---|---:|---|---:|---:|---:|---:|---:|",
  );
  for (const r of record) {
    out.push(
      `| ${r.users} | ${r.worker} | ${rate(r, "")} | ${r.min.toFixed(0)}..${r.max.toFixed(0)} | ${ratioTo(record, r, "launce")} | ${ratioTo(record, r, "loadworker")} | ` +
        `${r.wall.toFixed(0)} | ${(r.cpuUse * 100).toFixed(0)}% | ${mb(r.rssKb)}, ${mb(r.hwmKb)} |`,
    );
  }
  const scaling = record
    .filter((r) => r.worker === "loadworker-p2")
    .map((p2) => {
      const p1 = record.find((r) => r.users === p2.users && r.worker === "loadworker");
      return p1 && p1.wall > 0 && p2.wall > 0 ? `${p2.users} users: ${(p2.wall / p1.wall).toFixed(2)}× the samples/s of one process` : "";
    })
    .filter(Boolean);
  if (scaling.length) out.push("", `\`--processes 2\` vs 1 (wall samples/s): ${scaling.join("; ")}.`);
  out.push("");
}
const idle = summarize("idle");
if (idle.length) {
  out.push(
    "## Idle users: one GET each (one open socket), then an hour's wait",
    "",
    "| worker | users | RSS MB | KB per idle user (between the two user counts) |",
    "|---|---:|---:|---:|",
  );
  for (const [worker, rows] of groupBy(idle, (r) => r.worker)) {
    const [lo, hi] = [rows[0], rows[rows.length - 1]];
    const per =
      lo && hi && hi.users > lo.users && lo.rssKb > 0 && hi.rssKb > 0 ? ((hi.rssKb - lo.rssKb) / (hi.users - lo.users)).toFixed(1) : "-";
    for (const r of rows)
      out.push(`| ${worker} | ${r.users} | ${r.failed.length === r.rounds ? "**failed**" : mb(r.rssKb)} | ${r === hi ? per : ""} |`);
  }
  out.push("");
}
const startupFile = opt("--startup");
const startup = startupFile ? JSON.parse(readFileSync(startupFile, "utf8")) : undefined;
if (startup?.results) {
  out.push(`## Start-up (${startup.what}) and size`, "", "| binary | start-up ms (median) | min..max | size MB |", "|---|---:|---|---:|");
  for (const s of startup.results) {
    out.push(
      s.failed
        ? `| ${s.name} | **failed**: ${s.failed} | | |`
        : `| ${s.name} | ${s.startMs.median.toFixed(1)} | ${s.startMs.min.toFixed(1)}..${s.startMs.max.toFixed(1)} | ${(s.bytes / 1e6).toFixed(1)} |`,
    );
  }
  out.push("");
} else if (startup?.failed) out.push(`Start-up: **failed**: ${startup.failed}`, "");
const failures = [...http, ...record, ...idle].flatMap((r) => r.failed.map((f) => `${r.worker} at ${r.users} users, ${f}`));
out.push(failures.length ? `Failed runs: ${failures.join("; ")}.` : "No failed runs.");
const loads = runs.map((r) => r.load1);
if (loads.length)
  out.push(
    "",
    `1-minute load average during the runs: ${spread(loads.map((l) => l * 100))
      .split("..")
      .map((v) => (Number(v) / 100).toFixed(2))
      .join("..")}.`,
  );
console.log(out.join("\n"));

const json = opt("--json");
if (json) writeFileSync(json, `${JSON.stringify({ runs, http, record, idle, startup }, null, 2)}\n`);
