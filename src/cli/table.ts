// Plain aligned columns for terminal output, under a header.

import { alignColumns } from '../columns.js';

export function formatTable(header: readonly string[], rows: readonly string[][]): string {
  return `${alignColumns([header, ...rows]).join('\n')}\n`;
}
