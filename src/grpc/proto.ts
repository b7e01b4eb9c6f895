// .proto text → the services a call needs: protobufjs parses it (the parser @grpc/proto-loader
// runs on files) and proto-loader's fromJSON makes the codecs. The files come as text, so the ones
// in the task folder ride inside the compiled binary; the caller's ProtoSource resolves imports
// (protos.ts), and google/protobuf/*.proto are protobufjs's bundled copies.
import { fromJSON, type MethodDefinition, type PackageDefinition, type ServiceDefinition } from "@grpc/proto-loader";
import protobuf from "protobufjs";
import { GrpcError } from "./errors.ts";
import { messageProblem } from "./verify.ts";

/**
 * How messages map to JS, as most gRPC tools for Node read them (ghz's JSON too): field names as
 * in the .proto, 64-bit integers and enums as strings, unset fields as their defaults.
 */
const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true } as const;

// biome-ignore lint/suspicious/noExplicitAny: proto-loader types messages as object in, object out
export type Method = MethodDefinition<any, any>;

/** One parsed .proto file (and what it imports): its services by full name. */
export interface ProtoFile {
  readonly file: string;
  readonly services: ReadonlyMap<string, ServiceDefinition>;
}

/** A .proto's text by the name an import gives, from the file that imports it; undefined: not found. */
export type ProtoSource = (name: string, from: string | undefined) => { readonly file: string; readonly text: string } | undefined;

/**
 * Parses `file` and its imports, each read once by the name `source` resolves it to. Throws a
 * GrpcError (EPROTO) naming the file and line for text that does not parse, or a missing import
 * (`hint` says where imports are looked for).
 */
export function parseProto(file: string, source: ProtoSource, hint: string): ProtoFile {
  const root = new protobuf.Root();
  const seen = new Set<string>();
  const visit = (name: string, from: string | undefined): void => {
    const common = protobuf.common.get(name);
    if (common !== null) {
      if (seen.has(name)) return;
      seen.add(name);
      root.addJSON((common as { nested: protobuf.INamespace["nested"] }).nested ?? {});
      return;
    }
    const found = source(name, from);
    if (found === undefined)
      throw new GrpcError("EPROTO", `${name}${from === undefined ? "" : ` (imported by ${from})`} not found: ${hint}`);
    if (seen.has(found.file)) return; // one file reached by two names is still one file
    seen.add(found.file);
    let parsed: protobuf.IParserResult;
    try {
      parsed = protobuf.parse(found.text, root, { keepCase: true });
    } catch (error) {
      throw new GrpcError("EPROTO", `${found.file} does not parse: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const imported of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) visit(imported, found.file);
  };
  visit(file, undefined);
  let definition: PackageDefinition;
  try {
    root.resolveAll(); // the request types, for checkedRequests
    definition = fromJSON(root.toJSON(), LOADER_OPTIONS);
  } catch (error) {
    // e.g. a field of a type no file declares: protobufjs finds it only when resolving.
    throw new GrpcError("EPROTO", `${file} does not resolve: ${error instanceof Error ? error.message : String(error)}`);
  }
  const services = new Map<string, ServiceDefinition>();
  for (const [name, value] of Object.entries(definition)) if (isService(value)) services.set(name, checkedRequests(root, name, value));
  return { file, services };
}

// Each method's requestSerialize checks the request first: what the .proto cannot encode as given
// throws (verify.ts) instead of going out coerced or with a misspelled field dropped.
function checkedRequests(root: protobuf.Root, name: string, service: ServiceDefinition): ServiceDefinition {
  const methods = root.lookupService(name).methods;
  const checked: Record<string, Method> = {};
  for (const [key, method] of Object.entries(service) as [string, Method][]) {
    const type = methods[key]?.resolvedRequestType;
    const serialize = method.requestSerialize;
    checked[key] =
      type === null || type === undefined
        ? method
        : {
            ...method,
            requestSerialize: (request: unknown) => {
              const problem = messageProblem(type, request);
              if (problem !== undefined) throw requestError(method.path, problem.path, problem.text);
              return serialize(request);
            },
          };
  }
  return checked;
}

function requestError(method: string, path: string, text: string): GrpcError {
  const what = path === "" ? "the request" : `the request's ${path}`;
  return new GrpcError("EREQUEST", `${method}: ${what} ${text}; fix the request (nothing was sent)`);
}

function isService(value: PackageDefinition[string]): value is ServiceDefinition {
  return !("format" in value) && Object.values(value).every((m) => typeof m === "object" && m !== null && "path" in m);
}

/** A service's methods by name: as in the .proto (SayHello) and lowerCamelCase (sayHello). */
export function serviceMethods(proto: ProtoFile, service: string): Map<string, Method> {
  const definition = proto.services.get(service);
  if (definition === undefined) {
    const known = [...proto.services.keys()].join(", ") || "none";
    throw new GrpcError(
      "ESERVICE",
      `${proto.file} has no service ${JSON.stringify(service)}; its services: ${known} (give the package too, e.g. "helloworld.Greeter")`,
    );
  }
  const methods = new Map<string, Method>();
  for (const [name, method] of Object.entries(definition)) {
    methods.set(name, method);
    if (method.originalName !== undefined && !methods.has(method.originalName)) methods.set(method.originalName, method);
  }
  return methods;
}
