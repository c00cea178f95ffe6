import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DescriptorOutput } from './async-output.js';

let dir: string;
let fds: number[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-async-output-'));
  fds = [];
});

afterEach(() => {
  for (const fd of fds) fs.closeSync(fd);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A FIFO with a reader that reads only when told: a pipe whose reader can stall. */
function stalledPipe(writeFlags: number) {
  const fifo = path.join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const { O_RDONLY, O_NONBLOCK } = fs.constants;
  const reader = fs.openSync(fifo, O_RDONLY | O_NONBLOCK);
  const writer = fs.openSync(fifo, writeFlags);
  fds.push(reader, writer);

  const received: Buffer[] = [];
  const readAvailable = () => {
    const buffer = Buffer.alloc(1 << 16);
    for (;;) {
      try {
        const n = fs.readSync(reader, buffer);
        if (n === 0) return;
        received.push(Buffer.from(buffer.subarray(0, n)));
      } catch {
        return; // EAGAIN: nothing more for now
      }
    }
  };
  return { writer, readAvailable, received: () => Buffer.concat(received) };
}

const data = Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => i % 251));

async function writeWhileStalled(writeFlags: number): Promise<{ ticks: number; ok: boolean }> {
  const pipe = stalledPipe(writeFlags);
  const output = new DescriptorOutput(pipe.writer);
  const written = new Promise<void>((resolve) => output.write(data, () => resolve()));

  // The pipe holds 64 KiB: the write is stuck, yet timers still run.
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 10);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const ticksWhileStalled = ticks;

  // The reader comes back: everything arrives, in order.
  const reading = setInterval(pipe.readAvailable, 5);
  await written;
  clearInterval(reading);
  clearInterval(ticker);
  pipe.readAvailable();
  return { ticks: ticksWhileStalled, ok: pipe.received().equals(data) };
}

describe('DescriptorOutput', () => {
  it('keeps the event loop free while its reader stalls, then delivers every byte', async () => {
    const { ticks, ok } = await writeWhileStalled(fs.constants.O_WRONLY);

    expect(ticks).toBeGreaterThan(5);
    expect(ok).toBe(true);
  });

  it('waits and retries on a descriptor a parent left non-blocking (EAGAIN)', async () => {
    const { ticks, ok } = await writeWhileStalled(fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);

    expect(ticks).toBeGreaterThan(5);
    expect(ok).toBe(true);
  });
});
