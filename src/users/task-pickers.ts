// One weighted task picker per task list, shared by the users that run it: a class's users get
// the same list (ClassControls caches it per class), so a picker per user was ~0.2 KB of every
// idle user's memory for nothing (bench/workers/README.md, "Memory").
import type { AnyTaskDefinition } from "../api/definitions.ts";
import { weightedPicker } from "./pick.ts";

export type TaskPick = () => AnyTaskDefinition;

export class TaskPickers {
  // Keyed by the list itself: a web UI edit or new tags make a new list, and the old one's picker goes with it.
  private readonly byTasks = new WeakMap<ReadonlyArray<AnyTaskDefinition>, TaskPick>();

  /** The tasks and their picker (none for no tasks: such users wait to be stopped); `random` is the pool's. */
  forTasks(
    tasks: ReadonlyArray<AnyTaskDefinition>,
    random?: () => number,
  ): { tasks: ReadonlyArray<AnyTaskDefinition>; pick: TaskPick | undefined } {
    if (tasks.length === 0) return { tasks, pick: undefined };
    let pick = this.byTasks.get(tasks);
    if (pick === undefined) {
      pick = weightedPicker(tasks, (t) => t.weight, random);
      this.byTasks.set(tasks, pick);
    }
    return { tasks, pick };
  }
}
