import { describe, expect, it } from 'vitest';

import { formatReport, formatReportJson } from './format.js';
import type { ScanReport } from './types.js';

const DIGEST = `sha256:${'3f2a9c'.repeat(10)}abcd`;

const REPORT: ScanReport = {
  image: 'app:1',
  findings: [
    {
      secret: 'db_password',
      scope: 'project acme/web',
      form: 'exact',
      source: 'layer',
      layer: DIGEST,
      path: '/secrets/db_password',
    },
    {
      secret: 'TOKEN',
      scope: 'organization acme',
      form: 'exact',
      source: 'config',
      layer: `${'b'.repeat(64)}.json`,
      field: 'history[3].created_by',
    },
    {
      secret: 'api_key',
      scope: 'organization acme',
      form: 'base64',
      source: 'metadata',
      layer: 'abc/json',
      field: 'config.Env[1]',
    },
  ],
  skipped: [{ secret: 'region', scope: 'user acme/ana', reason: 'too-short' }],
  unscanned: [{ layer: DIGEST, reason: 'zstd-compressed' }],
  stats: { bytes: 2_500_000, layers: 3, files: 40 },
};

describe('formatReport', () => {
  it('gives one line per finding, skipped secret and unread layer, then a summary', () => {
    expect(formatReport(REPORT)).toEqual([
      'leak: db_password (project acme/web) as exact in layer sha256:3f2a9c3f2a9c ' +
        'at /secrets/db_password',
      `leak: TOKEN (organization acme) as exact in the image config (${'b'.repeat(64)}.json) ` +
        'at history[3].created_by',
      'leak: api_key (organization acme) as base64 in abc/json at config.Env[1]',
      'not scanned: region (user acme/ana) is shorter than 6 bytes',
      'not scanned: sha256:3f2a9c3f2a9c: zstd-compressed',
      '3 leaks found in app:1 (3 layers, 40 files, 2.5 MB)',
    ]);
  });

  it('says so when nothing was found', () => {
    const clean = { ...REPORT, findings: [], skipped: [], unscanned: [] };

    expect(formatReport(clean)).toEqual(['no leaks found in app:1 (3 layers, 40 files, 2.5 MB)']);
  });
});

describe('formatReportJson', () => {
  it('is the report itself, full digests included', () => {
    expect(JSON.parse(formatReportJson(REPORT))).toEqual(REPORT);
  });
});
