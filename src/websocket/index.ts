// The WebSocket client's public surface; everything else in src/websocket/ is internal.
export { WebSocketError, type WebSocketErrorCode, isRecordedFailure } from "./errors.ts";
export type { ReceiveOptions, RequestOptions as WebSocketRequestOptions, WebSocketOptions } from "./options.ts";
export { TYPE as WEBSOCKET_REQUEST_TYPES } from "./calls.ts";
export type { WebSocketConnection } from "./socket.ts";
export { UserSockets, type SocketsEnvironment } from "./sockets.ts";
export type { Message as WebSocketMessage } from "./calls.ts";
