// Formats bench/workers/run.sh's raw results (TSV) as a markdown table: per user count and worker,
// the median over rounds of requests per worker CPU-second (nginx-counted requests in the steady
// window / the worker's utime+stime in it), min..max, and ratios to boomer's and wrk's medians.
// usage: bun bench/workers/table.ts <results.tsv>
import { readFileSync } from "node:fs";
import { groupBy, median, perCpu } from "../lib/stats.ts";

interface Run { worker: string; users: number; requests: number; wall: number; cpu: number; rssKb: number; hwmKb: number; masterRequests: number; masterFailures: number; nginxRun: number }

const file = process.argv[2] ?? "";
const runs: Run[] = readFileSync(file, "utf8").trim().split("\n").slice(1).map((line) => {
  const [worker = "", users, , requests, wall, cpu, rss, hwm, masterRequests, failures, nginxRun] = line.split("\t");
  return {
    worker, users: Number(users), requests: Number(requests), wall: Number(wall), cpu: Number(cpu), rssKb: Number(rss), hwmKb: Number(hwm),
    masterRequests: Number(masterRequests) || 0, masterFailures: Number(failures) || 0, nginxRun: Number(nginxRun) || 0,
  };
});

const groups = groupBy(runs, (run) => `${run.users}\t${run.worker}`);
const ratio = (mine: number, key: string) => {
  const base = groups.get(key);
  const value = base === undefined ? 0 : median(base.map(perCpu));
  return value > 0 ? (mine / value).toFixed(2) : "-";
};
const mb = (kb: number) => (kb / 1024).toFixed(0);

const rows = [
  "| users | worker | rounds | req/CPU-s (median) | min..max | × boomer | × wrk | req/s wall (median) | CPU use in window | RSS MB (median, peak) | master failures | master ÷ nginx count (run) |",
  "|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
];
for (const [key, group] of groups) {
  const [users = "", worker] = key.split("\t");
  const all = group.map(perCpu);
  const mine = median(all);
  const wrkOnly = worker === "wrk";
  rows.push(`| ${users} | ${worker} | ${group.length} | ${mine.toFixed(0)} | ${Math.min(...all).toFixed(0)}..${Math.max(...all).toFixed(0)} | ` +
    `${ratio(mine, `${users}\tboomer`)} | ${ratio(mine, `${users}\twrk`)} | ${median(group.map((r) => r.requests / r.wall)).toFixed(0)} | ` +
    `${(median(group.map((r) => r.cpu / r.wall)) * 100).toFixed(0)}% | ${mb(median(group.map((r) => r.rssKb)))}, ${mb(Math.max(...group.map((r) => r.hwmKb)))} | ` +
    `${wrkOnly ? "-" : group.reduce((sum, r) => sum + r.masterFailures, 0)} | ` +
    `${wrkOnly ? "-" : median(group.map((r) => (r.nginxRun > 0 ? r.masterRequests / r.nginxRun : 0))).toFixed(3)} |`);
}
console.log(rows.join("\n"));
