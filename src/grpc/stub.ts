// A service as a task sees it: one function per method on a prototype made once per service, so
// `ctx.grpc(...)` in every task costs one small object. A name the service lacks reaches the
// prototype's own prototype, which throws a GrpcError listing the methods.
import { GrpcError } from "./errors.ts";
import type { Method } from "./proto.ts";
import type { GrpcStreamOptions } from "./types.ts";

/** What a stub's methods call: the user's client, with the service's settings. */
export interface StubTarget {
  call(method: Method, request: unknown, options: GrpcStreamOptions | undefined): Promise<unknown>;
}

export const TARGET = Symbol("grpc.target");

// Names that code probes on any object (await, console.log, JSON): answered, not thrown.
const PROBED = new Set(["then", "toJSON", "constructor", "inspect", "asymmetricMatch", "$$typeof", "nodeType"]);

export function stubPrototype(service: string, methods: ReadonlyMap<string, Method>): object {
  const names = [...new Set([...methods.values()].map((m) => m.path.slice(m.path.lastIndexOf("/") + 1)))];
  const missing = new Proxy(Object.create(null) as object, {
    get(_, key) {
      if (typeof key === "symbol" || PROBED.has(key)) return undefined;
      throw new GrpcError("EMETHOD", `${service} has no method ${JSON.stringify(key)}; its methods: ${names.join(", ")}`);
    },
  });
  const prototype = Object.create(missing) as Record<string, unknown>;
  for (const [name, method] of methods) {
    if (method.requestStream) {
      const kind = method.responseStream ? "bidirectional streaming" : "client streaming";
      prototype[name] = () => {
        throw new GrpcError("ESTREAMING", `${method.path} is ${kind}; ctx.grpc calls unary and server-streaming methods only`);
      };
      continue;
    }
    prototype[name] = function (this: { [TARGET]: StubTarget }, request: unknown, options?: GrpcStreamOptions) {
      return this[TARGET].call(method, request, options);
    };
  }
  return prototype;
}
