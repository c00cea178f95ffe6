import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';

import { afterEach, describe, expect, it } from 'vitest';

import { Logger } from '../log.js';
import { Redactor } from '../redact/index.js';
import { SignalTrap } from '../signals.js';
import { UsageError } from '../errors.js';
import { findScript, ptyArgv, refuseTtyWithStdin, wantsPty, wrapsSecrets } from './pty.js';
import { runBuilder } from './run-builder.js';

const VALUE = 'pty-test-value-93d1e';

let trap: SignalTrap | undefined;
let work: string | undefined;

afterEach(() => {
  trap?.dispose();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function collector() {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, bytes: () => Buffer.concat(chunks) };
}

describe('wantsPty', () => {
  it('follows the progress mode: tty always, auto and unset only at a terminal', () => {
    expect(wantsPty(['--progress=tty', '.'], false)).toBe(true);
    expect(wantsPty(['--progress', 'auto', '.'], true)).toBe(true);
    expect(wantsPty(['.'], true)).toBe(true);
    expect(wantsPty(['.'], false)).toBe(false);
    expect(wantsPty(['--progress=plain', '.'], true)).toBe(false);
  });

  it('never when the builder reads stdin: a terminal would take the bytes as keys', () => {
    expect(wantsPty(['--progress=auto', '-'], true, true)).toBe(false);
  });

  it('refuses tty progress asked for with stdin, which it could not show', () => {
    expect(() => refuseTtyWithStdin(['--progress=tty', '-'], true)).toThrow(UsageError);
    expect(() => refuseTtyWithStdin(['--progress=tty', '.'], false)).not.toThrow();
    expect(() => refuseTtyWithStdin(['-'], true)).not.toThrow();
  });
});

describe('ptyArgv', () => {
  it("sizes the pseudo-terminal as the user's terminal, when that is known", () => {
    const sized = ptyArgv('/usr/bin/script', ['docker', 'buildx'], { columns: 140, rows: 40 });
    const unsized = ptyArgv('/usr/bin/script', ['docker', 'buildx'], {});

    expect(sized[4]).toBe("stty cols 140 rows 40 2>/dev/null; 'docker' 'buildx' >&3 3>&-");
    expect(unsized[4]).toBe("'docker' 'buildx' >&3 3>&-");
  });
});

describe('the builder on a pseudo-terminal', () => {
  const script = findScript(process.env);

  it.skipIf(script === undefined)(
    'keeps its stdout a pipe of its own, byte for byte, and only stderr on the terminal',
    async () => {
      trap = new SignalTrap();
      const redactor = new Redactor();
      redactor.add([{ id: 'TOKEN', value: Buffer.from(VALUE) }]);
      const stdout = collector();
      const stderr = collector();
      // The value comes from a file, as a secret mount's would: argv must never carry it.
      work = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-pty-'));
      fs.writeFileSync(path.join(work, 'value'), `${VALUE}\n`);
      // Binary bytes and bare newlines, which a terminal would turn into \r\n; then what the
      // command sees of its own outputs.
      const command = [
        "printf 'id\\000\\001\\n\\n'",
        `cat '${path.join(work, 'value')}'`,
        '[ -t 1 ] || echo stdout-is-a-pipe >&2',
        '[ -t 2 ] && echo stderr-is-a-terminal >&2',
        'stty size <&2 >&2',
        'exit 4',
      ].join('; ');

      const result = await runBuilder({
        argv: ptyArgv(script!, ['/bin/sh', '-c', command], { columns: 132, rows: 43 }),
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
        redactor,
        stdout: stdout.stream,
        stderr: stderr.stream,
        signals: trap,
        logger: new Logger({ level: 'error', format: 'text', redactor, sink: stderr.stream }),
        pty: true,
      });

      expect(result.exitCode).toBe(4);
      expect(stdout.bytes()).toEqual(Buffer.from('id\x00\x01\n\n***\n', 'latin1'));
      const display = stderr.bytes().toString('latin1');
      expect(display).toContain('stdout-is-a-pipe');
      expect(display).toContain('stderr-is-a-terminal\r\n');
      expect(display).toContain('43 132');
      // The failure hints read the display.
      expect(result.stderrTail).toContain('stderr-is-a-terminal');
    },
  );

  it.skipIf(script === undefined)(
    "stops on a forwarded signal without script's own notice about it",
    async () => {
      trap = new SignalTrap();
      const redactor = new Redactor();
      const stderr = collector();
      const command = 'echo step-started >&2; sleep 30';

      const running = runBuilder({
        argv: ptyArgv(script!, ['/bin/sh', '-c', command]),
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
        redactor,
        stdout: collector().stream,
        stderr: stderr.stream,
        signals: trap,
        logger: new Logger({ level: 'error', format: 'text', redactor, sink: stderr.stream }),
        pty: true,
      });
      await until(() => stderr.bytes().includes('step-started'));
      trap.raise('SIGTERM');
      const result = await running;

      expect(result.signal).toBe('SIGTERM');
      const display = stderr.bytes().toString('latin1');
      expect(display).toContain('step-started');
      expect(display).not.toContain('Session terminated');
    },
  );
});

describe('ptyArgv sizes', () => {
  it('sets the columns alone when only they are known (COLUMNS without LINES)', () => {
    expect(ptyArgv('/usr/bin/script', ['docker'], { columns: 200 })[4]).toBe(
      "stty cols 200 2>/dev/null; 'docker' >&3 3>&-",
    );
  });
});

describe('wrapsSecrets', () => {
  it.each<[number, number | undefined, boolean]>([
    // 80 columns leave 71 for a row's text: 142 bytes still keep half of a value in one row.
    [142, 80, false],
    [143, 80, true],
    [143, undefined, true],
    [143, 200, false],
    [64, 40, true],
    [62, 40, false],
  ])('a line of %i bytes at %s columns: %s', (longest, columns, expected) => {
    expect(wrapsSecrets(longest, columns)).toBe(expected);
  });
});
