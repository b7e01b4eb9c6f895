// Master → worker: decode one frame once, validate it, return a typed message or a reason.
// Tolerant where Locust's own worker is (extra keys, stop_timeout None, parsed_options {}),
// strict where a wrong value would make the runtime do something wrong.
import { decode } from "@msgpack/msgpack";
import type { MasterMessage } from "./messages.ts";
import { checkShape } from "./shape.ts";
import {
  Invalid,
  describe,
  isMap,
  optionalHost,
  requireCount,
  requireCounts,
  requireFinite,
  requireMap,
  requireNonNegative,
  requireString,
  requireStrings,
} from "./validate.ts";

export type DecodeResult = { ok: true; message: MasterMessage } | { ok: false; error: string };

/**
 * Decodes one frame from the master. Never throws: anything malformed (not msgpack, not a
 * 3-element array, wrong field types) comes back as `{ ok: false, error }` saying what was wrong,
 * for the runtime to log once and drop.
 */
export function decodeMasterMessage(frame: Uint8Array): DecodeResult {
  const shape = checkShape(frame);
  if (shape !== undefined) return { ok: false, error: `refused before decoding: ${shape}` };
  let envelope: unknown;
  try {
    envelope = decode(frame);
  } catch (cause) {
    return { ok: false, error: `could not decode msgpack: ${reason(cause)}` };
  }
  if (!Array.isArray(envelope) || envelope.length !== 3) {
    const error = `envelope must be a msgpack array of 3 [type, data, node_id], got ${describe(envelope)}`;
    return { ok: false, error };
  }
  const [type, data] = envelope as [unknown, unknown, unknown];
  if (typeof type !== "string") {
    return { ok: false, error: `message type must be a string, got ${describe(type)}` };
  }
  try {
    return { ok: true, message: toMessage(type, data) };
  } catch (cause) {
    if (cause instanceof Invalid) return { ok: false, error: `${type}: ${cause.message}` };
    // Not expected; still must not escape into the runtime's receive loop.
    return { ok: false, error: `${type}: could not be read: ${reason(cause)}` };
  }
}

function toMessage(type: string, data: unknown): MasterMessage {
  switch (type) {
    case "ack":
      return { type, index: requireCount(requireMap(data, "data").index, "data.index") };
    case "spawn":
      return spawn(data);
    case "spawning_complete":
      return { type, userCount: requireCount(requireMap(data, "data").user_count, "data.user_count") };
    // Data-less messages: Locust sends None; anything else is ignored, as Locust's worker does.
    case "heartbeat":
    case "stop":
    case "quit":
    case "reconnect":
      return { type };
    case "update_user_class":
      return updateUserClass(data);
    default:
      return { type: "custom", name: type, data };
  }
}

function spawn(data: unknown): MasterMessage {
  const job = requireMap(data, "data");
  const parsed = job.parsed_options;
  if (parsed !== undefined && parsed !== null && !isMap(parsed)) {
    throw new Invalid(`data.parsed_options must be a map (or nil), got ${describe(parsed)}`);
  }
  const stopTimeout = job.stop_timeout;
  return {
    type: "spawn",
    timestamp: requireFinite(job.timestamp, "data.timestamp"),
    userClassesCount: requireCounts(job.user_classes_count, "data.user_classes_count"),
    host: optionalHost(job.host, "data.host"),
    // 2.12.x sends None by default and later versions 0.0; Locust's worker does `or 0`.
    stopTimeout: stopTimeout === null || stopTimeout === undefined ? 0 : requireNonNegative(stopTimeout, "data.stop_timeout"),
    parsedOptions: parsed ?? {},
  };
}

// The master forwards the web UI's JSON verbatim (env.update_user_class); keep what we know.
function updateUserClass(data: unknown): MasterMessage {
  const settings = requireMap(data, "data");
  const message: Extract<MasterMessage, { type: "update_user_class" }> = {
    type: "update_user_class",
    userClassName: requireString(settings.user_class_name, "data.user_class_name"),
  };
  if ("host" in settings) message.host = optionalHost(settings.host, "data.host");
  if ("weight" in settings) message.weight = requireNonNegative(settings.weight, "data.weight");
  if ("fixed_count" in settings) message.fixedCount = requireCount(settings.fixed_count, "data.fixed_count");
  if ("tasks" in settings) message.tasks = requireStrings(settings.tasks, "data.tasks");
  return message;
}

function reason(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
