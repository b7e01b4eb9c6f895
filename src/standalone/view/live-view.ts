// The live view: a frame for a terminal of a given size (redrawn every 2 s on a TTY) and one
// plain line per interval elsewhere. Pure functions of (snapshot, size) → string.
import { formatSeconds } from "../options/duration.ts";
import { displayWidth, fit, printable, truncate, truncateMiddle } from "./text-width.ts";
import type { ViewRow, ViewSnapshot } from "./view-snapshot.ts";

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

type NumberColumn = readonly [title: string, width: number, value: (r: ViewRow) => string];

const NUMBER_COLUMNS: readonly NumberColumn[] = [
  ["Requests", 9, (r) => String(r.requests)],
  ["Failures", 15, (r) => failures(r)],
  ["RPS", 8, (r) => r.rps.toFixed(1)],
  ["p50 ms", 7, (r) => ms(r.p50)],
  ["p95 ms", 7, (r) => ms(r.p95)],
  ["p99 ms", 7, (r) => ms(r.p99)],
  ["Max ms", 8, (r) => ms(r.max)],
];
// On a narrow terminal these go first, so the name stays readable and p95/p99 stay on screen
// (they were cut off at 60 columns); the summary after the run has every column.
const DROPPED_FIRST = ["Max ms", "p50 ms", "RPS"];
const FIXED_LINES = 9; // title, two bars, blank, header, separator, total, blank, hint
const MIN_NAME = 20;

function shownColumns(columns: number): readonly NumberColumn[] {
  let shown = NUMBER_COLUMNS;
  const width = () => shown.reduce((sum, [, w]) => sum + w + 1, 0);
  for (const title of DROPPED_FIRST) if (columns - width() < MIN_NAME) shown = shown.filter(([t]) => t !== title);
  return shown;
}

export function renderLive(s: ViewSnapshot, size: TerminalSize): string {
  const columns = Math.max(40, size.columns);
  const numbers = shownColumns(columns);
  const nameWidth = Math.max(12, columns - numbers.reduce((sum, [, w]) => sum + w + 1, 0));
  // Cut in the middle: names that differ only at the end (/items/1, /items/2) stay apart.
  const row = (r: ViewRow, label = rowName(r)) =>
    fit(truncateMiddle(label, nameWidth), nameWidth) + numbers.map(([, w, value]) => ` ${fit(value(r), w, "right")}`).join("");
  const header = fit("Name", nameWidth) + numbers.map(([title, w]) => ` ${fit(title, w, "right")}`).join("");
  const room = Math.max(1, size.rows - FIXED_LINES - (s.misses ? 1 : 0));
  const rows =
    s.rows.length <= room
      ? s.rows.map((r) => row(r))
      : [...s.rows.slice(0, room - 1).map((r) => row(r)), `… ${s.rows.length - room + 1} more names (all of them are in the summary)`];
  const barWidth = Math.max(10, Math.min(40, columns - 36));
  const lines = [
    `loadworker run · ${phaseText(s)} · ${formatSeconds(s.elapsed)} elapsed`,
    `Users     ${bar(s.targetUsers === 0 ? 1 : s.users / s.targetUsers, barWidth)} ${s.users}/${s.targetUsers}`,
    s.runTime === null
      ? `Run time  ${formatSeconds(s.elapsed)} (no --run-time: until Ctrl-C)`
      : `Run time  ${bar(s.elapsed / s.runTime, barWidth)} ${formatSeconds(Math.min(s.elapsed, s.runTime))} / ${formatSeconds(s.runTime)}`,
    // A line of its own: after the Users bar it was cut off at 80 columns.
    ...(s.misses ? [`Open     ${missesText(s, " ")}`] : []),
    "",
    header,
    ...rows,
    "-".repeat(Math.min(columns, displayWidth(header))),
    row(s.total, "Aggregated"),
    "",
    "Ctrl-C ends the run early; the summary and the reports are still written.",
  ];
  return lines.map((line) => truncate(line, columns)).join("\n");
}

/** Off a TTY: one line per interval, for CI logs. */
export function plainLine(s: ViewSnapshot): string {
  const t = s.total;
  const time =
    s.runTime === null ? formatSeconds(s.elapsed) : `${formatSeconds(Math.min(s.elapsed, s.runTime))}/${formatSeconds(s.runTime)}`;
  return (
    `[${time}] ${phaseText(s)} ${s.users}/${s.targetUsers} users | ${t.requests} reqs, ${failures(t)} fails | ` +
    `${t.rps.toFixed(1)} rps | p50 ${ms(t.p50)} ms, p95 ${ms(t.p95)} ms, p99 ${ms(t.p99)} ms, max ${ms(t.max)} ms${missesText(s, " | ")}`
  );
}

// The open model: iterations the schedule could not start on time.
function missesText(s: ViewSnapshot, separator: string): string {
  return s.misses ? `${separator}dropped ${s.misses.dropped}, late ${s.misses.late} iterations` : "";
}

function phaseText(s: ViewSnapshot): string {
  return s.phase === "ramping" ? "ramping up" : s.phase;
}

function rowName(r: ViewRow): string {
  return printable(r.method ? `${r.method} ${r.name}` : r.name);
}

function failures(r: ViewRow): string {
  const percent = r.requests === 0 ? 0 : (100 * r.failures) / r.requests;
  return `${r.failures} (${percent.toFixed(percent > 0 && percent < 0.1 ? 2 : 1)}%)`;
}

function ms(value: number): string {
  return value < 10 && !Number.isInteger(value) ? value.toFixed(1) : String(Math.round(value));
}

function bar(fraction: number, width: number): string {
  const clamped = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(clamped * width);
  return `[${"█".repeat(full)}${"░".repeat(width - full)}] ${String(Math.floor(clamped * 100)).padStart(3)}%`;
}
