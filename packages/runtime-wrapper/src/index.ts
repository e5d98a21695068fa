export { createWrapperRuntime, resolveSharing } from './wrapper-runtime.js';
export type { WrapperRuntime } from './wrapper-runtime.js';
export type { WrapperLaunch, WrapperRuntimeSpec, WrapperSharing } from './wrapper-spec.js';
export {
  FrameType, FrameDecoder, encodeFrame, encodeJsonFrame, encodeMetaBody, encodeMetaBodyFrame, decodeMetaBody, decodeJson,
  frameTypeName, FRAME_HEADER_BYTES, MAX_PAYLOAD_BYTES, MAX_FRAME_LENGTH,
} from './frame-codec.js';
export type { Frame } from './frame-codec.js';
export { eventMeta, encodeEventFrame, decodeResponse } from './event-codec.js';
export type { EventMeta } from './event-codec.js';
export { encodeBatchFrame, decodeBatchResponse } from './batch-codec.js';
export type { BatchAnswer, BatchEventMeta } from './batch-codec.js';
export { SUPPORTED_VERSIONS } from './handshake.js';
export type { WrapperHello, WrapperWelcome } from './handshake.js';
export { runToolchainCommand } from './toolchain-command.js';
export type { ToolchainCommandOptions, ToolchainCommandResult } from './toolchain-command.js';
