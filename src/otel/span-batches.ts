// The batch span processor for the span queue (span-queue.ts), as the SDK's BatchSpanProcessor
// schedules: a batch goes as soon as one is full (OTEL_BSP_MAX_EXPORT_BATCH_SIZE, 512) or
// OTEL_BSP_SCHEDULE_DELAY (5 s) after the first span, one export at a time, each bounded by
// OTEL_BSP_EXPORT_TIMEOUT (30 s); at shutdown every queued span is sent. Spans that end while
// the queue is full are dropped and counted: one warning says so, and how to sample. A failed export
// is said as export-failures.ts says it (once, then counted).
import { clearTimeout, setTimeout } from "node:timers";
import type { Logger } from "../log.ts";
import { ExportFailures } from "./export-failures.ts";
import type { SpanBatchSettings } from "./settings.ts";
import { SpanQueue } from "./span-queue.ts";

/** An exporter of the queue's oldest spans. */
export interface SpanBatchExport {
  /** Encodes the oldest `count` queued spans at once (the queue frees them after), sends them, then calls `done` once. */
  send(queue: SpanQueue, count: number, done: (error?: unknown) => void): void;
  shutdown(): Promise<void>;
}

export class SpanBatches {
  readonly queue: SpanQueue;
  private readonly batchSize: number;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private exporting: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly settings: SpanBatchSettings,
    private readonly exporter: SpanBatchExport,
    private readonly log: Logger,
    private readonly failures = new ExportFailures(log),
  ) {
    this.batchSize = Math.min(settings.batchSize, settings.queueSize);
    this.queue = new SpanQueue(settings.queueSize, this.added, this.full);
  }

  /** Sends what is queued, one batch after another, and stops the exporter. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.exporting;
    while (this.queue.size > 0) await this.exportOne();
    const { dropped, ended } = this.queue;
    if (dropped > 0) this.log.warn(`OpenTelemetry: ${dropped} of ${ended} spans were dropped (the export queue was full)`);
    await this.exporter.shutdown();
  }

  // After each span queued: a full batch goes now, else the first span starts the delay.
  private readonly added = (): void => {
    if (this.exporting !== undefined || this.stopped) return;
    if (this.queue.size >= this.batchSize) this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(this.flush, this.settings.delayMs);
      this.timer.unref();
    }
  };

  private readonly full = (): void => {
    const { queueSize, batchSize } = this.settings;
    this.log.warn(
      `OpenTelemetry: requests end faster than their spans can be exported (a queue of ${queueSize}, ${batchSize} a batch, ` +
        "one export at a time): spans past the queue are dropped, the requests are not. Sample the traces, " +
        "e.g. OTEL_TRACES_SAMPLER=traceidratio OTEL_TRACES_SAMPLER_ARG=0.01",
    );
  };

  private readonly flush = (): void => {
    this.clearTimer();
    if (this.queue.size === 0 || this.exporting !== undefined) return;
    this.exporting = this.exportOne().then(() => {
      this.exporting = undefined;
      if (this.queue.size > 0) this.added();
    });
  };

  // One batch; never rejects (a failed export is logged: the SDK hands it to its error handler).
  private exportOne(): Promise<void> {
    const count = Math.min(this.queue.size, this.batchSize);
    return new Promise<void>((resolve) => {
      let timeout: ReturnType<typeof setTimeout> | undefined;
      const done = (error?: unknown): void => {
        if (timeout === undefined) return; // already timed out, or called twice
        clearTimeout(timeout);
        timeout = undefined;
        if (error !== undefined) this.failures.failed(`${count} spans`, error);
        resolve();
      };
      timeout = setTimeout(() => done(new Error(`no answer within ${this.settings.timeoutMs} ms`)), this.settings.timeoutMs);
      timeout.unref(); // the export's own request keeps the process up while it is in flight
      try {
        this.exporter.send(this.queue, count, done);
      } catch (error) {
        done(error);
      } finally {
        this.queue.release(count);
      }
    });
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
