// What data/ adds to the plan and loads at start. Feeders and distributors are declared at module
// level in task files, exported or not, and each stands for something one per process (a file's
// rows, a master's iterator), so the process keeps one table of them; cli/ reads it once at start.
import { type AnyDefinition, onMessage, onTestStart } from "../api/definitions.ts";
import { receiveAnswer } from "./requests.ts";

/** A feeder as the start sees it: load (and check) its file now; release it in a process that runs no users. */
export interface Loadable {
  load(): void;
  release(): void;
}

const responseTypes = new Set<string>();
const loadables: Loadable[] = [];
const masterSide: AnyDefinition[] = [];
const restarts: (() => void)[] = [];

/** Answers of this type settle the request their gid names (requests.ts). */
export function listenForAnswers(type: string): void {
  responseTypes.add(type);
}

export function addLoadable(item: Loadable): void {
  loadables.push(item);
}

/** Master-side Python (a masterPython definition) that `loadworker locustfile` appends, once. */
export function addMasterSide(definition: AnyDefinition): void {
  if (!masterSide.includes(definition)) masterSide.push(definition);
}

/** Runs when a test starts on this worker (a feeder starts from its first row again). */
export function addTestStart(fn: () => void): void {
  restarts.push(fn);
}

/** The definitions data/ adds to the task files' exports: the answer handlers and master-side Python. */
export function dataDefinitions(): AnyDefinition[] {
  const restart = () => {
    for (const fn of restarts) fn();
  };
  const hooks = restarts.length > 0 ? [onTestStart(restart)] : [];
  return [...[...responseTypes].map((type) => onMessage(type, receiveAnswer)), ...masterSide, ...hooks];
}

/** Reads and checks every feeder's file; a bad one throws a LoadworkerError (E_USAGE) naming it. */
export function loadFeeders(): void {
  for (const item of loadables) item.load();
}

/** The parent of --processes checked the files and runs no users: it need not keep them. */
export function releaseFeeders(): void {
  for (const item of loadables) item.release();
}
