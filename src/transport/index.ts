// The transport layer's public surface: the DEALER socket the runtime drives, and the error type.
export { DealerSocket, type DealerHandlers, type DealerOptions } from "./dealer.ts";
export { DEFAULT_MAX_FRAME_BYTES, ZmtpError, type ZmtpErrorCode } from "./zmtp.ts";
