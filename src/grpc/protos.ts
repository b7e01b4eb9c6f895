// The .proto files a worker knows: those anywhere under the task folder (as text, so the compiled
// binary carries them), by their path from it ("shop.proto", "protos/shop.proto"), parsed once per
// process; any other path or file: URL is read from disk on first use.
import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { GrpcError } from "./errors.ts";
import { type Method, type ProtoFile, type ProtoSource, parseProto, serviceMethods } from "./proto.ts";
import { stubPrototype } from "./stub.ts";

export interface ProtoFilesOptions {
  /** The task folder on disk, which a relative `proto` outside the task files is read from (default: the current directory). */
  dir?: string;
}

export class ProtoFiles {
  private readonly parsed = new Map<string, ProtoFile>();
  private readonly services = new Map<string, Map<string, Method>>();
  private readonly prototypes = new Map<Map<string, Method>, object>();

  /** `files`: the task folder's .proto texts by their path from it, with "/". */
  constructor(
    private readonly files: ReadonlyMap<string, string> = new Map(),
    private readonly options: ProtoFilesOptions = {},
  ) {}

  /** Parses every .proto in the task folder: a bad one fails at start-up, not at its first call. */
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
      const name = typeof proto === "string" ? taskPath(proto) : "";
      parsed = this.files.has(name) ? parseProto(name, this.taskFile, this.hint()) : this.fromDisk(proto);
      this.parsed.set(key, parsed);
    }
    return parsed;
  }

  // As protoc -I with the task folder: an import is a path from it; else beside the importing file
  // (protobufjs's own rule), so a folder of .proto files that import each other by bare name works too.
  private readonly taskFile: ProtoSource = (name, from) => {
    const root = taskPath(name);
    const text = this.files.get(root);
    if (text !== undefined) return { file: root, text };
    if (from === undefined) return undefined;
    const beside = posix.join(posix.dirname(from), root);
    const besideText = this.files.get(beside);
    return besideText === undefined ? undefined : { file: beside, text: besideText };
  };

  private hint(): string {
    const known = this.files.size > 0 ? this.names.join(", ") : "none";
    return `an import is a path from the task folder, as protoc -I reads it, or from the importing file's folder (the task folder's .proto files: ${known})`;
  }

  // Imports resolve beside the importing file and beside this one first, then among the task files.
  private fromDisk(proto: string | URL): ProtoFile {
    const path =
      proto instanceof URL || proto.startsWith("file:") ? fileURLToPath(proto) : resolve(this.options.dir ?? process.cwd(), proto);
    const read = (file: string): string | undefined => {
      try {
        return readFileSync(file, "utf8");
      } catch {
        return undefined; // not there: the next place is tried, and the message lists them
      }
    };
    const source: ProtoSource = (name, from) => {
      if (from === undefined) return { file: path, text: this.readTop(path) };
      for (const file of isAbsolute(from) ? [join(dirname(from), name), join(dirname(path), name)] : []) {
        const text = read(file);
        if (text !== undefined) return { file, text };
      }
      return this.taskFile(name, isAbsolute(from) ? undefined : from);
    };
    return parseProto(path, source, `looked for beside ${path} and the importing file, then among the task folder's .proto files`);
  }

  private readTop(path: string): string {
    try {
      return readFileSync(path, "utf8");
    } catch (error) {
      const known = this.files.size > 0 ? `the task folder's .proto files: ${this.names.join(", ")}` : "no .proto files in the task folder";
      throw new GrpcError("EPROTO", `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}); ${known}`);
    }
  }
}

// "./protos/shop.proto" and "protos\\shop.proto" are "protos/shop.proto", as the task files are keyed.
function taskPath(name: string): string {
  return posix.normalize(name.replaceAll("\\", "/")).replace(/^\.\//, "");
}
