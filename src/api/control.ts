// Control flow a task can ask for, as Locust's exceptions do: StopUser ends the user,
// RescheduleTask ends the current task early. Neither is a failure nor an exception report.

/** Locust's `StopUser`: thrown by `ctx.stopUser()` (or by you) to end this user; onStop still runs. */
/** What a StopUser says when it is given no reason (ctx.stopUser()). */
export const DEFAULT_STOP_REASON = "the task asked to stop this user";

export class StopUser extends Error {
  constructor(message = DEFAULT_STOP_REASON) {
    super(message);
    this.name = "StopUser";
  }
}

/** Locust's `RescheduleTask`: thrown by `ctx.rescheduleTask()` (or by you) to end the current task now. */
export class RescheduleTask extends Error {
  constructor(message = "the task asked to end early") {
    super(message);
    this.name = "RescheduleTask";
  }
}
