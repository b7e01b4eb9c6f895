// What ctx.grpc throws for a mistake in the task or its .proto. A call's gRPC status is never
// thrown: it is recorded and returned (GrpcResult).

/** Every code a GrpcError can carry; the set is part of the public API. */
export type GrpcErrorCode =
  | "EPROTO" // a .proto file does not parse, does not resolve, or is missing
  | "ESERVICE" // the .proto has no such service
  | "EMETHOD" // the service has no such method
  | "ESTREAMING" // a client- or bidi-streaming method (only unary and server streaming are supported)
  | "EREQUEST" // a request the .proto cannot encode as given (a wrong type, a number out of range, an unknown field)
  | "ECLOSED" // a call after the user's gRPC channels were closed
  | "EINVALIDOPTION"; // an option has a value it cannot have

export class GrpcError extends Error {
  readonly code: GrpcErrorCode;
  constructor(code: GrpcErrorCode, message: string) {
    super(message);
    this.name = "GrpcError";
    this.code = code;
  }
}
