// The transport layer's public surface: the DEALER socket the runtime drives, and the error type.
export type { DealerHandlers, DealerOptions } from "./dealer-options.ts";
export { DealerSocket } from "./dealer.ts";
export { DEFAULT_MAX_FRAME_BYTES, ZmtpError, type ZmtpErrorCode } from "./zmtp.ts";
