// Public API of the post-build leak scan: find secret values, and their encoded forms, that a
// build left in an image's layers, config or export metadata, or in the files it exported.

export { formatFinding, formatReport, formatReportJson } from './format.js';
export { NeedleMatcher, type Match, MatchStream } from './matcher.js';
export { buildNeedles, LEAK_FORMS, type LeakForm, secretForms } from './needles.js';
export { scanImage, type ScanImageOptions } from './scan-image.js';
export { scanDirectory, scanFilesystemTar } from './scan-output.js';
export { scanTarStream } from './scan-tar.js';
export type {
  Finding,
  FindingSource,
  ScanReport,
  ScanSecret,
  ScanStats,
  SkippedSecret,
  UnscannedPart,
} from './types.js';
