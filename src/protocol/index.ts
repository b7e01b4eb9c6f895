// The protocol layer's public surface: Locust's message envelope, as typed data.
export { decodeMasterMessage } from "./decode.ts";
export type { DecodeResult } from "./decode.ts";
export { encodeWorkerMessage } from "./encode.ts";
export { encodeMsgpack } from "./msgpack.ts";
export type {
  HeartbeatState,
  MasterMessage,
  StatsEntryReport,
  StatsErrorReport,
  StatsReport,
  WorkerMessage,
} from "./messages.ts";
