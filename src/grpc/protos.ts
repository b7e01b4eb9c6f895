// The .proto files a worker knows: those beside the task files (as text, so the compiled binary
// carries them), parsed once per process; any other path or file: URL is read from disk on first use.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GrpcError } from "./errors.ts";
import { type Method, type ProtoFile, parseProto, serviceMethods } from "./proto.ts";
import { stubPrototype } from "./stub.ts";

export class ProtoFiles {
  private readonly parsed = new Map<string, ProtoFile>();
  private readonly services = new Map<string, Map<string, Method>>();
  private readonly prototypes = new Map<Map<string, Method>, object>();

  /** `files`: the task files' .proto texts by file name. */
  constructor(private readonly files: ReadonlyMap<string, string> = new Map()) {}

  /** Parses every file beside the tasks: a bad one fails at start-up, not at its first call. */
  checkAll(): void {
    for (const file of this.files.keys()) this.proto(file);
  }

  get names(): string[] {
    return [...this.files.keys()];
  }

  /** A service's methods by name (cached per process); throws a GrpcError for a bad proto or name. */
  methods(proto: string | URL, service: string): Map<string, Method> {
    const key = `${String(proto)}\0${service}`;
    let methods = this.services.get(key);
    if (methods === undefined) {
      methods = serviceMethods(this.proto(proto), service);
      this.services.set(key, methods);
    }
    return methods;
  }

  /** The prototype of a service's stubs: its methods as functions, made once per process. */
  prototype(service: string, methods: Map<string, Method>): object {
    let prototype = this.prototypes.get(methods);
    if (prototype === undefined) {
      prototype = stubPrototype(service, methods);
      this.prototypes.set(methods, prototype);
    }
    return prototype;
  }

  private proto(proto: string | URL): ProtoFile {
    const key = String(proto);
    let parsed = this.parsed.get(key);
    if (parsed === undefined) {
      parsed = this.files.has(key) ? parseProto(key, (f) => this.files.get(f)) : this.fromDisk(proto);
      this.parsed.set(key, parsed);
    }
    return parsed;
  }

  // Imports resolve beside the file first, then among the task files.
  private fromDisk(proto: string | URL): ProtoFile {
    const path = proto instanceof URL || proto.startsWith("file:") ? fileURLToPath(proto) : proto;
    const dir = dirname(path);
    const read = (file: string): string | undefined => {
      try {
        return readFileSync(file === path ? path : join(dir, file), "utf8");
      } catch (error) {
        if (file !== path) return this.files.get(file);
        const known =
          this.files.size > 0 ? `the task files' .proto files: ${this.names.join(", ")}` : "no .proto files beside the task files";
        throw new GrpcError("EPROTO", `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}); ${known}`);
      }
    };
    return parseProto(path, read);
  }
}
