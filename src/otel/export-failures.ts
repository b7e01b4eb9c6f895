// What a failing export says. A collector that refuses every batch (its certificate not trusted,
// a 400, nothing listening) fails each export at once, ~80 a second at 1,000 users with every
// request a span: one warning each was a flood that buried the run's own log. A failure is said
// the first time its message is seen, with what to do where we know; the ones after it are
// counted and said in one line at most every 10 s, and at shutdown.
import type { Logger } from "../log.ts";

/** What the worker can say to do about an error it sees from an export. */
const HINTS: readonly [RegExp, string][] = [
  [
    /SELF_SIGNED|UNABLE_TO_(GET_ISSUER|VERIFY)|CERT_UNTRUSTED|self[- ]signed certificate|unable to (get|verify)/i,
    "the collector's certificate is not trusted: give its CA's PEM file in OTEL_EXPORTER_OTLP_CERTIFICATE",
  ],
  [/ALTNAME|does not match certificate/i, "the collector's certificate does not name the endpoint's host: use a host it names"],
  [/CERT_HAS_EXPIRED|certificate has expired/i, "the collector's certificate has expired"],
  [/ECONNREFUSED|Unable to connect/i, "nothing listens at the endpoint: check OTEL_EXPORTER_OTLP_ENDPOINT"],
  [/timed out|timeout/i, "the endpoint did not answer in time: check OTEL_EXPORTER_OTLP_ENDPOINT and that the collector runs"],
];

export class ExportFailures {
  private readonly said = new Set<string>();
  private windowStart = -Infinity;
  private count = 0; // not said, since windowStart
  private last = "";

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = () => performance.now(),
    private readonly windowMs = 10_000,
  ) {}

  /** An export of `what` ("512 spans"; undefined for the SDK's own exports, whose error names them) failed. */
  failed(what: string | undefined, error: unknown): void {
    const text = describe(error);
    const line = what === undefined ? text : `exporting ${what} failed: ${text}`;
    const at = this.now();
    if (at - this.windowStart >= this.windowMs) {
      this.flush();
      this.windowStart = at;
    }
    const kind = line.replace(/^exporting \d+ /, "exporting "); // one kind whatever the batch's size
    if (!this.said.has(kind)) {
      this.said.add(kind);
      const hint = HINTS.find(([pattern]) => pattern.test(text))?.[1];
      this.log.warn(`OpenTelemetry: ${line}${hint ? ` (${hint})` : ""}`);
      return;
    }
    this.count++;
    this.last = line;
  }

  /** Says the failures counted and not said yet (at the end of a window, and at shutdown). */
  flush(): void {
    if (this.count === 0) return;
    const more = this.count === 1 ? "1 more export" : `${this.count} more exports`;
    this.log.warn(`OpenTelemetry: ${more} failed (the last: ${this.last})`);
    this.count = 0;
  }
}

/** An error as one line, its message and code (the SDK's own error handler writes it as JSON with its stack). */
function describe(error: unknown): string {
  if (typeof error !== "object" || error === null || !("message" in error)) return String(error);
  const { message, code } = error as { message: unknown; code?: unknown };
  const text = String(message);
  return typeof code === "string" && !text.includes(code) ? `${text} (${code})` : text;
}
