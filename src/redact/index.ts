// Public API of secret redaction: build masks from values, mask text and streams.

export {
  buildMasks,
  mergeMaskSets,
  MIN_MASK_LENGTH,
  type MaskOptions,
  type MaskSet,
  type MaskSource,
  type SkippedMask,
} from './masks.js';
export { Redactor, type RedactorOptions } from './redactor.js';
export { createRedactStream, redactWritable } from './redact-stream.js';
export { watchWritable, type WatchedWritable } from './watch-writable.js';
export { MASK_TEXT } from './render.js';
