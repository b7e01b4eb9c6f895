// A UserPool wired to fakes for the pool and user tests: an HttpClient factory that records
// what it made, a recording Recorder, Logger and exception sink; real timers, short waits.
import { systemClock } from "../../src/clock.ts";
import type { HttpClient } from "../../src/http/index.ts";
import { constant, defineUser } from "../../src/index.ts";
import type { AnyDefinition } from "../../src/api/definitions.ts";
import { buildPlan, collectDefinitions } from "../../src/api/plan.ts";
import { userClients } from "../../src/users/clients.ts";
import { type PoolOptions, UserPool } from "../../src/users/pool.ts";
import { waitFor } from "../support/wait.ts";
import { recordingLogger, recordingRecorder, seeded } from "../support/fakes.ts";

export interface FakeClient {
  host: string | undefined;
  signal: AbortSignal;
  closed: boolean;
  close(): void;
}

const pools: UserPool[] = [];

/** For afterEach: whatever a test leaves running is stopped, so no user loop outlives its test. */
export async function stopPools(): Promise<void> {
  await Promise.all(pools.splice(0).map((p) => p.stopAll(0)));
}

/** A pool over these definitions with a fake HttpClient factory and recording sinks. */
export function harness(...definitions: AnyDefinition[]) {
  return harnessWith({}, ...definitions);
}

/** harness() with pool options overridden (e.g. hungTaskMs). */
export function harnessWith(
  overrides: Partial<Pick<PoolOptions, "hungTaskMs" | "limiter" | "sendMessage">>,
  ...definitions: AnyDefinition[]
) {
  const recorder = recordingRecorder();
  const log = recordingLogger();
  const exceptions: Array<{ error: unknown; where: string }> = [];
  const clients: FakeClient[] = [];
  const pool = new UserPool({
    plan: buildPlan(collectDefinitions(definitions)),
    clock: systemClock,
    recorder,
    log,
    onException: (error, where) => void exceptions.push({ error, where }),
    makeClient: (host, signal) => {
      const client: FakeClient = {
        host,
        signal,
        closed: false,
        close: () => {
          client.closed = true;
        },
      };
      clients.push(client);
      return client as unknown as HttpClient;
    },
    random: seeded(3),
    ...overrides,
  });
  pools.push(pool);
  return { pool, recorder, log, exceptions, clients };
}

/**
 * A pool whose users get the real clients (HTTP, WebSocket, gRPC) aimed at `host`, for the tests
 * against a real server; an exception in a task fails the test. stopPools() stops it too.
 */
export function realClientPool(host: string, ...definitions: AnyDefinition[]) {
  return realClientPoolWith({}, host, ...definitions);
}

/** realClientPool() with pool options overridden (e.g. onException, which throws by default). */
export function realClientPoolWith(overrides: Partial<Pick<PoolOptions, "onException">>, host: string, ...definitions: AnyDefinition[]) {
  const recorder = recordingRecorder();
  const pool = new UserPool({
    plan: buildPlan(collectDefinitions(definitions)),
    clock: systemClock,
    recorder,
    log: recordingLogger(),
    onException: (error) => {
      throw error;
    },
    ...overrides,
    makeClient: userClients(recorder, systemClock),
  });
  pool.env = { host, workerIndex: 0, parsedOptions: {} };
  pools.push(pool);
  return { pool, recorder };
}

export const until = <T>(probe: () => T | undefined, what: string) => waitFor(probe, 3_000, what, 2);

/** A user class that counts its lifecycle: task runs per user, onStart and onStop calls by user id. */
export function countingUser(name: string, waitSeconds = 0.005) {
  const seen = { starts: [] as number[], stops: [] as number[], runs: 0 };
  const user = defineUser({
    name,
    waitTime: constant(waitSeconds),
    onStart: (ctx) => void seen.starts.push(ctx.userId),
    onStop: (ctx) => void seen.stops.push(ctx.userId),
    tasks: [{ name: `${name}.work`, fn: () => void seen.runs++ }],
  });
  return { user, seen };
}
