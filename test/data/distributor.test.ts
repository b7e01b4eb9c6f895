// distributor() over a scripted master: the messages locust-plugins' Distributor sends and answers
// (test/e2e/distributor.full.test.ts has the real one), None as the end, the timeout, a stopped
// user, and runs without a master.
import { describe, expect, test } from "bun:test";
import { StopUser } from "../../src/api/control.ts";
import { receiveAnswer, waitingCount } from "../../src/data/requests.ts";
import { distributor } from "../../src/index.ts";
import { type TaskScope, runInScope, runWithRecorder } from "../../src/users/current.ts";
import { recordingRecorder } from "../support/fakes.ts";

/** A worker's scope whose sendMessage goes to `master` (which may answer through receiveAnswer). */
function workerScope(master: (type: string, data: Record<string, unknown>) => void, signal?: AbortSignal): TaskScope {
  return {
    recorder: recordingRecorder(),
    nodeId: "host_abc",
    signal,
    sendMessage: (type, data) => master(type, data as Record<string, unknown>),
  };
}

describe("distributor with a master", () => {
  test("sends _NAME_request {gid, client_id} and returns the item of the _NAME_response with that gid", async () => {
    const sent: [string, Record<string, unknown>][] = [];
    const items = [{ ssn: "1" }, { ssn: "2" }];
    const scope = workerScope((type, data) => {
      sent.push([type, data]);
      setTimeout(() => receiveAnswer({ item: items.shift() ?? null, gid: data.gid }), 1);
    });
    const customers = distributor<{ ssn: string }>("customers");
    const got = await runInScope(scope, () => Promise.all([customers.next(), customers.next()]));
    expect(got).toEqual([{ ssn: "1" }, { ssn: "2" }]);
    expect(sent.map(([type, data]) => [type, Object.keys(data).sort(), data.client_id])).toEqual([
      ["_customers_request", ["client_id", "gid"], "host_abc"],
      ["_customers_request", ["client_id", "gid"], "host_abc"],
    ]);
    expect(sent[0]?.[1].gid).not.toBe(sent[1]?.[1].gid);
    // The iterator's end, as the docs ask the master to say it: None → StopUser.
    await expect(runInScope(scope, () => customers.next())).rejects.toBeInstanceOf(StopUser);
    expect(distributor("customers")).toBe(customers); // one client per name
  });

  test("no answer within timeoutMs: an error naming the distributor; a stopped user stops waiting", async () => {
    const silent = distributor<number>("silent", { timeoutMs: 50 });
    await expect(
      runInScope(
        workerScope(() => {}),
        () => silent.next(),
      ),
    ).rejects.toThrow('distributor "silent": the master did not answer "_silent_request" within 0.05 s');
    const stop = new AbortController();
    const waiting = runInScope(
      workerScope(() => {}, stop.signal),
      () => distributor<number>("forever", { timeoutMs: Infinity }).next(),
    );
    stop.abort(new Error("user stopped"));
    await expect(waiting).rejects.toThrow("user stopped");
    expect(waitingCount()).toBe(0);
  });
});

describe("distributor without a master", () => {
  test("takes from `local`, then StopUser; without `local` it says what to do", async () => {
    const local = distributor<number>("local-items", { local: [1, 2] });
    const run = () => runWithRecorder(recordingRecorder(), () => local.next());
    expect([await run(), await run()]).toEqual([1, 2]);
    await expect(run()).rejects.toBeInstanceOf(StopUser);
    await expect(runWithRecorder(recordingRecorder(), () => distributor("nowhere").next())).rejects.toThrow(
      'distributor "nowhere": there is no master here; give distributor("nowhere", { local: items })',
    );
  });
});

test("next() outside a task says where to call it from", async () => {
  await expect(distributor("anywhere", { local: [1] }).next()).rejects.toThrow(
    'distributor "anywhere".next() was called outside a running task; call it from a task\'s fn or onStart',
  );
});
