import { PassThrough, Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { Redactor } from '../redact/index.js';
import { redactedOutput } from './redacted-output.js';

describe('redactedOutput', () => {
  const redactor = new Redactor();
  redactor.add([{ id: 'token', value: Buffer.from('tok-1234567') }]);

  const capture = () => {
    const target = new PassThrough();
    const chunks: Buffer[] = [];
    target.on('data', (chunk: Buffer) => chunks.push(chunk));
    return {
      target,
      bytes: () => Buffer.concat(chunks),
      text: () => Buffer.concat(chunks).toString(),
    };
  };

  it('masks secret values in text written by commands', () => {
    const { target, text } = capture();

    redactedOutput(target, redactor).write('value tok-1234567\n');

    expect(text()).toBe('value ***\n');
  });

  it('passes buffers (already redacted builder output, maybe binary) through unchanged', () => {
    const { target, bytes } = capture();
    const binary = Buffer.from([0, 1, 2, 255, 0xc3]);

    redactedOutput(target, redactor).write(binary);

    expect(bytes()).toEqual(binary);
  });

  it('reports a failed write to its writer, and never throws it at the process', async () => {
    const target = new Writable({
      write: (_chunk, _encoding, callback) => callback(new Error('ENOSPC: no space left')),
    });
    target.on('error', () => undefined);
    const output = redactedOutput(target, redactor);

    const failure = await new Promise<Error | null | undefined>((resolve) => {
      output.write('line\n', resolve);
    });

    expect(failure?.message).toContain('ENOSPC');
    expect(output.listenerCount('error')).toBeGreaterThan(0);
  });
});
