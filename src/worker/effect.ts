// What the lifecycle machine (machine.ts) hands its shell: effects to perform, with the next
// state. Its own file so that the machine's helpers (silence.ts) can name them without importing
// the machine that imports them.
import type { MasterMessage } from "../protocol/index.ts";
import type { MachineState } from "./state.ts";

export type HeartbeatState = "ready" | "spawning" | "running";

export type Effect =
  | { type: "send"; message: "client_ready" | "spawning" | "client_stopped" | "quit" }
  | { type: "heartbeat"; state: HeartbeatState }
  | { type: "spawning_complete" }
  | { type: "stats"; final: boolean }
  | { type: "reset_stats" }
  | {
      type: "apply_spawn";
      seq: number;
      targets: Record<string, number>;
      host: string | null;
      stopTimeout: number;
      parsedOptions: Record<string, unknown>;
    }
  | { type: "stop_users"; seq: number; stopTimeout: number } // shell answers with { type: "stopped", seq }
  | { type: "kill_users"; graceSeconds?: number } // tasks in flight get graceSeconds (default 0) to finish
  | { type: "reconnect"; reason: string }
  | { type: "exit"; code: number }
  | { type: "log"; level: "debug" | "info" | "warn"; message: string }
  | { type: "test_start"; host: string | null; parsedOptions: Record<string, unknown> } // before the first apply_spawn of a test
  | { type: "test_stop" } // after the test's users were told to stop (the shell waits for them)
  | { type: "update_class"; update: Omit<UpdateUserClass, "type"> }
  | { type: "custom_message"; name: string; data: unknown }
  | { type: "ship_logs" };

type UpdateUserClass = Extract<MasterMessage, { type: "update_user_class" }>;

export interface Transition {
  state: MachineState;
  effects: Effect[];
}
