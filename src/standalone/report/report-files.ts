// The report files of a run: checked before any load starts (a path that cannot be written is
// an error naming the file and the reason), then the history CSV grows per interval and the
// rest is written at the end.
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { LoadworkerError } from "../../errors.ts";

export interface ReportPaths {
  readonly csvPrefix: string | undefined;
  readonly jsonFile: string | undefined;
  readonly htmlFile: string | undefined;
}

export interface CsvReports {
  readonly statsCsv: string;
  readonly failuresCsv: string;
  readonly exceptionsCsv: string;
}

export interface FinalReports extends CsvReports {
  readonly json: () => string;
  readonly html: () => string;
}

export interface ReportFiles {
  /** Appends one interval to `_stats_history.csv` (if --csv). */
  appendHistory(rows: string): void;
  /** Rewrites the whole-run CSVs mid-run (Locust rewrites them as it goes); a no-op without --csv. */
  refreshCsv(reports: () => CsvReports): void;
  /** Writes everything else; returns the files written. */
  writeFinal(reports: FinalReports): string[];
}

const REASONS: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOENT: "a folder on the way does not exist and could not be created",
  ENOTDIR: "a part of the path is a file, not a folder",
  EEXIST: "a part of the path is a file, not a folder", // mkdir -p over a file
  EISDIR: "it is a folder",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
};

export function openReportFiles(paths: ReportPaths, historyHeader: string): ReportFiles {
  const csv = paths.csvPrefix;
  const csvFiles =
    csv === undefined
      ? []
      : ["_stats.csv", "_stats_history.csv", "_failures.csv", "_exceptions.csv"].map((s) => [`--csv`, `${csv}${s}`] as const);
  const all = [
    ...csvFiles,
    ...(paths.jsonFile ? [["--json", paths.jsonFile] as const] : []),
    ...(paths.htmlFile ? [["--html", paths.htmlFile] as const] : []),
  ];
  for (const [flag, file] of all) probe(flag, file);
  const history = csv === undefined ? undefined : `${csv}_stats_history.csv`;
  // Locust writes the header when the run starts and appends a row per interval.
  if (history !== undefined) write("--csv", history, () => writeFileSync(history, historyHeader));
  return {
    appendHistory(rows) {
      if (history !== undefined) write("--csv", history, () => appendFileSync(history, rows));
    },
    refreshCsv(reports) {
      if (csv === undefined) return;
      const { statsCsv, failuresCsv, exceptionsCsv } = reports();
      write("--csv", `${csv}_stats.csv`, () => writeFileSync(`${csv}_stats.csv`, statsCsv));
      write("--csv", `${csv}_failures.csv`, () => writeFileSync(`${csv}_failures.csv`, failuresCsv));
      write("--csv", `${csv}_exceptions.csv`, () => writeFileSync(`${csv}_exceptions.csv`, exceptionsCsv));
    },
    writeFinal(reports) {
      const written: string[] = [];
      const put = (flag: string, file: string, text: () => string) => {
        write(flag, file, () => writeFileSync(file, text()));
        written.push(file);
      };
      if (csv !== undefined) {
        put("--csv", `${csv}_stats.csv`, () => reports.statsCsv);
        if (history !== undefined) written.push(history);
        put("--csv", `${csv}_failures.csv`, () => reports.failuresCsv);
        put("--csv", `${csv}_exceptions.csv`, () => reports.exceptionsCsv);
      }
      if (paths.jsonFile) put("--json", paths.jsonFile, reports.json);
      if (paths.htmlFile) put("--html", paths.htmlFile, reports.html);
      return written;
    },
  };
}

// Creates missing folders (as Locust does for --csv) and opens the file for appending, which
// proves it can be written without truncating anything yet; a file the probe created goes again,
// so a run stopped by later bad input (a --metrics-port in use) leaves no empty report behind.
function probe(flag: string, file: string): void {
  write(flag, file, () => {
    mkdirSync(dirname(file), { recursive: true });
    const existed = existsSync(file);
    closeSync(openSync(file, "a"));
    if (!existed) rmSync(file);
  });
}

function write(flag: string, file: string, action: () => void): void {
  try {
    action();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const why = REASONS[code] ?? (error instanceof Error ? error.message : String(error));
    throw new LoadworkerError(
      "E_USAGE",
      `cannot write the ${flag} report file "${file}": ${why}${code ? ` (${code})` : ""}; choose a path in a writable folder`,
    );
  }
}
