// What every scan test checks of a report: neither it (as JSON) nor its printed lines hold a
// secret's value or any encoded form of one.

import { expect } from 'vitest';

import { formatReport } from '../format.js';
import { secretForms } from '../needles.js';
import type { ScanReport, ScanSecret } from '../types.js';

export function expectNoValues(report: ScanReport, secrets: readonly ScanSecret[]): void {
  const output = Buffer.from(JSON.stringify(report) + formatReport(report).join('\n'));

  for (const secret of secrets) {
    for (const { bytes } of secretForms(secret.value, secret.registryUser)) {
      expect(output.includes(bytes), `a form of ${secret.name} in the report`).toBe(false);
    }
  }
}
