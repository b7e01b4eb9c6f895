// The seed project's two tasks, as boomer ran them: one GET each, weight 1; success records
// elapsed ms and content length; an error or any status other than 200 records a failure.
// When the master sends a host (--host or the web UI's Host field), they load that instead,
// so the demo works offline against the local demo target.
import { defineTask } from "loadworker";

export const mockApi = defineTask({
  name: "压测MockApi",
  weight: 1,
  fn: async ({ client, host }) => {
    const res = await client.get(host ? `${host}/` : "https://mock.api7.ai/", { name: "压测MockApi", catchResponse: true });
    if (res.status === 200) res.success();
    else res.failure(res.error ?? `status ${res.status}, expected 200`);
  },
});

export const httpBin = defineTask({
  name: "压测HttpBin",
  weight: 1,
  fn: async ({ client, host }) => {
    const res = await client.get(host ? `${host}/` : "https://httpbin.org/", { name: "压测HttpBin", catchResponse: true });
    if (res.status === 200) res.success();
    else res.failure(res.error ?? `status ${res.status}, expected 200`);
  },
});
