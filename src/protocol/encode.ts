// Worker → master: the envelope is a msgpack array of exactly 3, [type, data, node_id]
// (docs/PROTOCOL.md, Envelope).
// Every payload is rebuilt field by field so only the keys Locust reads go out, whatever
// extra properties the caller's objects carry.
import type { StatsEntryReport, StatsReport, WorkerMessage } from "./messages.ts";
import { encodeMsgpack } from "./msgpack.ts";

/**
 * Encodes a worker message as the single ZMQ frame the master expects. `nodeId` must equal the
 * DEALER identity: the master looks every message but client_ready up by it (PROTOCOL.md, Envelope).
 */
export function encodeWorkerMessage(message: WorkerMessage, nodeId: string): Uint8Array {
  // A custom message carries its own wire type; its data is the caller's, encoded as given
  // (encodeMsgpack throws a TypeError for what msgpack cannot carry).
  if (message.type === "custom") return encodeMsgpack([message.name, message.data ?? null, nodeId]);
  return encodeMsgpack([message.type, wireData(message, nodeId), nodeId]);
}

function wireData(message: WorkerMessage, nodeId: string): unknown {
  switch (message.type) {
    case "client_ready":
      // -1 bypasses the version check; any other truthy non-string kills the master's listener (PROTOCOL.md, Worker to master).
      return -1;
    case "heartbeat":
      // All three keys are required: a missing one kills the master's listener (PROTOCOL.md, Worker to master).
      return {
        state: message.state,
        current_cpu_usage: finite(message.cpuPercent),
        current_memory_usage: Math.trunc(finite(message.memoryBytes)),
      };
    case "spawning":
    case "client_stopped":
    case "quit":
      return null;
    case "spawning_complete":
      return { user_classes_count: counts(message.userClassesCount), user_count: message.userCount };
    case "stats":
      return wireReport(message.report);
    case "exception":
      return { msg: message.msg, traceback: message.traceback };
    case "logs":
      return { worker_id: nodeId, logs: [...message.lines] };
    case "custom":
      return message.data;
    default:
      return unreachable(message);
  }
}

function wireReport(report: StatsReport): unknown {
  // A Map keeps the error keys as plain data: no prototype games with "__proto__"-like keys.
  const errors = new Map<string, unknown>();
  for (const [key, e] of Object.entries(report.errors)) {
    errors.set(key, {
      name: e.name,
      method: e.method,
      error: e.error,
      occurrences: e.occurrences,
      first_seen: e.first_seen,
      last_seen: e.last_seen,
    });
  }
  return {
    stats: report.stats.map(wireEntry),
    stats_total: wireEntry(report.stats_total),
    errors,
    user_classes_count: counts(report.user_classes_count),
    user_count: report.user_count,
  };
}

// Key order follows Locust's StatsEntryDict, which makes captures easy to compare.
function wireEntry(e: StatsEntryReport): unknown {
  return {
    name: e.name,
    method: e.method,
    last_request_timestamp: e.last_request_timestamp,
    start_time: e.start_time,
    num_requests: e.num_requests,
    num_none_requests: e.num_none_requests,
    num_failures: e.num_failures,
    total_response_time: e.total_response_time,
    max_response_time: e.max_response_time,
    min_response_time: e.min_response_time,
    total_content_length: e.total_content_length,
    response_times: intMap(e.response_times),
    num_reqs_per_sec: intMap(e.num_reqs_per_sec),
    num_fail_per_sec: intMap(e.num_fail_per_sec),
  };
}

// Keys must be integers on the wire: a fractional key would become a float key the master
// buckets separately (PROTOCOL.md, Integer-keyed maps), so truncate defensively; equal keys after truncation are summed.
function intMap(map: ReadonlyMap<number, number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const [key, count] of map) {
    const k = Math.trunc(finite(key));
    out.set(k, (out.get(k) ?? 0) + count);
  }
  return out;
}

function counts(record: Readonly<Record<string, number>>): Map<string, number> {
  return new Map(Object.entries(record));
}

function finite(n: number): number {
  return Number.isFinite(n) ? n : 0;
}

function unreachable(message: never): never {
  throw new TypeError(`unknown worker message type: ${JSON.stringify(message)}`);
}
