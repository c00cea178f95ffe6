import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { DUMP_MAX_BYTES, dumpForms } from './dump-forms.js';
import { buildMasks } from './masks.js';
import { Redactor } from './redactor.js';

const VALUE = Buffer.from('supersecretvalue-ABC123\x01\x02tail-of-it', 'latin1');

/** What a dump tool prints of a file holding only `value`, if the tool is installed here. */
function dumpOf(tool: string[], value: Buffer): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-dump-'));
  const file = path.join(dir, 'secret');
  fs.writeFileSync(file, value);
  try {
    return execFileSync(tool[0], [...tool.slice(1), file], { encoding: 'latin1' });
  } catch {
    return undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('dumpForms', () => {
  it('spells each group of eight bytes as od and hexdump do, and each row as xxd does', () => {
    const forms = dumpForms(VALUE);

    expect(forms).toContain('73 75 70 65 72 73 65 63');
    expect(forms).toContain('7375 7065 7273 6563 7265 7476 616c 7565  supersecretvalue');
    expect(forms).toContain(`${'2d69 74'.padEnd(39)}  -it`);
    expect(forms).toContain('|supersecretvalue|');
    expect(forms).toContain('|-ABC123..tail-of|');
  });

  it('gives none for values too long to dump whole', () => {
    expect(dumpForms(Buffer.alloc(DUMP_MAX_BYTES + 1, 'a'))).toEqual([]);
  });

  it.each([[['hexdump', '-C']], [['od', '-An', '-tx1']], [['xxd']]])(
    'leaves no byte of the value readable in the hex of %j',
    (tool) => {
      const dump = dumpOf(tool, VALUE);
      if (dump === undefined) return;
      const redactor = new Redactor(buildMasks([{ id: 'token', value: VALUE }]));

      const masked = redactor.redact(dump);

      expect(masked).toContain('***');
      // Only offsets, separators and a short last group may remain: no three bytes' worth of hex.
      expect(masked).not.toMatch(/\b[0-9a-f]{2}( [0-9a-f]{2}){2}\b/);
      expect(masked).not.toMatch(/\b[0-9a-f]{4} [0-9a-f]{4}\b/);
      expect(masked).not.toContain('supersecretvalue');
    },
  );
});
