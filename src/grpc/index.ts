// The gRPC client that records into stats: ctx.grpc(service, { proto, target }).
export { GrpcClient, type GrpcClientOptions } from "./client.ts";
export { REQUEST_TYPE } from "./call.ts";
export { GrpcError, type GrpcErrorCode } from "./errors.ts";
export { ProtoFiles } from "./protos.ts";
export type {
  GrpcCallOptions,
  GrpcMetadata,
  GrpcResult,
  GrpcServerStream,
  GrpcService,
  GrpcServiceOptions,
  GrpcStreamOptions,
  GrpcUnary,
} from "./types.ts";
