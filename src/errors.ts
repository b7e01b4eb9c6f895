// Errors that reach the user carry a stable code and say what to do; cli/ prints them at one place.
export type ErrorCode =
  | "E_CONFIG" // a task or user definition is invalid
  | "E_USAGE" // a wrong flag or value on the command line
  | "E_NO_TASKS" // nothing to run
  | "E_UNKNOWN_TASK" // --run-tasks names a task that does not exist
  | "E_PROTO" // a .proto file in the task folder does not parse or an import is missing
  | "E_TASKS" // --tasks names a missing path, a file that does not compile or exports no task; a build that fails
  | "E_EXISTS"; // `loadworker init` would overwrite a file

export class LoadworkerError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "LoadworkerError";
    this.code = code;
  }
}
