// A scan report for people (one line per finding, then a summary) and for machines (JSON). Both
// name secrets by name and scope only: a report holds no value to print.

import { MIN_MASK_LENGTH } from '../redact/masks.js';
import type { Finding, ScanReport } from './types.js';

/** The report as lines of text, findings first, without trailing newlines. */
export function formatReport(report: ScanReport): string[] {
  return [
    ...report.findings.map((finding) => `leak: ${formatFinding(finding)}`),
    ...report.skipped.map(
      (skip) =>
        `not scanned: ${skip.secret} (${skip.scope}) is shorter than ${MIN_MASK_LENGTH} bytes`,
    ),
    ...report.unscanned.map((part) => `not scanned: ${shortLayer(part.layer)}: ${part.reason}`),
    summary(report),
  ];
}

/** `db_password (project acme/web) as exact in layer sha256:3f2a... at /secrets/db_password` */
export function formatFinding(finding: Finding): string {
  const secret = `${finding.secret} (${finding.scope}) as ${finding.form}`;
  return `${secret} in ${place(finding)}`;
}

export function formatReportJson(report: ScanReport): string {
  return JSON.stringify(report, null, 2);
}

function place(finding: Finding): string {
  const layer = shortLayer(finding.layer);

  switch (finding.source) {
    case 'layer': {
      const field = finding.field === undefined ? '' : ` (${finding.field})`;
      return `layer ${layer} at ${finding.path ?? '?'}${field}`;
    }
    case 'config':
      return `the image config (${layer}) at ${finding.field ?? '?'}`;
    case 'metadata':
      return finding.field === undefined ? layer : `${layer} at ${finding.field}`;
    case 'file': {
      const field = finding.field === undefined ? '' : ` (${finding.field})`;
      return `output ${layer} at ${finding.path ?? '?'}${field}`;
    }
  }
}

function summary(report: ScanReport): string {
  const { layers, files, bytes } = report.stats;
  const what = report.image ?? report.output ?? 'the export';
  // A build output is one root filesystem: a count of layers would say nothing.
  const parts = report.output === undefined ? [`${layers} layers`] : [];
  const size = [...parts, `${files} files`, `${(bytes / 1e6).toFixed(1)} MB`].join(', ');
  const count = report.findings.length;

  if (count === 0) return `no leaks found in ${what} (${size})`;
  return `${count} ${count === 1 ? 'leak' : 'leaks'} found in ${what} (${size})`;
}

// Digests are 71 characters; 12 hex digits name a layer unambiguously in practice, as docker does.
function shortLayer(layer: string): string {
  const digest = /^(sha256|sha512):([0-9a-f]{12})[0-9a-f]+$/.exec(layer);
  return digest === null ? layer : `${digest[1]}:${digest[2]}`;
}
