import { randomBytes } from 'node:crypto';
import { PassThrough, Readable, type Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as tick } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { buildMasks, type MaskSource } from './masks.js';
import { createRedactStream, redactWritable } from './redact-stream.js';
import { Redactor } from './redactor.js';
import { streamThrough } from './__fixtures__/test-helpers.js';

const source = (id: string, value: string | Buffer): MaskSource => ({
  id,
  value: Buffer.from(value),
});

const redactorFor = (...sources: MaskSource[]) => new Redactor(buildMasks(sources));

/** Writes one chunk and returns what the stream emitted for it, without ending the stream. */
async function writeAndCollect(stream: Transform, chunk: string): Promise<string> {
  const output: Buffer[] = [];
  const collect = (data: Buffer) => output.push(data);

  stream.on('data', collect);
  await new Promise<void>((resolve) => stream.write(chunk, () => resolve()));
  await tick();
  stream.off('data', collect);
  return Buffer.concat(output).toString();
}

/** Every way to cut `text` into two pieces, and a sample of ways into three. */
function cuts(text: string): string[][] {
  const result: string[][] = [];

  for (let first = 0; first <= text.length; first++) {
    result.push([text.slice(0, first), text.slice(first)]);
    for (let second = first; second <= text.length; second += 3) {
      result.push([text.slice(0, first), text.slice(first, second), text.slice(second)]);
    }
  }
  return result;
}

const SHORT = 'k9$xQ2';
const LONG = 'ghp_R2d2C3poBB8and4TheFalcon1977xWingYoda';

describe('createRedactStream', () => {
  it.each([
    ['a short', SHORT],
    ['a long', LONG],
  ])('masks %s secret cut anywhere into two or three chunks', async (_name, secret) => {
    const redactor = redactorFor(source('secret', secret));
    const text = `#5 0.123 export TOKEN=${secret} # done\n`;

    for (const pieces of cuts(text)) {
      const output = (await streamThrough(redactor, pieces)).toString();
      expect(output, `cut ${pieces.map((piece) => piece.length).join('+')}`).toBe(
        '#5 0.123 export TOKEN=*** # done\n',
      );
    }
  });

  it('masks a value at the very start and at the very end of the stream', async () => {
    const redactor = redactorFor(source('secret', LONG));

    expect((await streamThrough(redactor, [LONG.slice(0, 5), LONG.slice(5)])).toString()).toBe(
      '***',
    );
    expect((await streamThrough(redactor, [LONG, ' then ', LONG])).toString()).toBe('*** then ***');
  });

  it('masks two secrets written next to each other, cut between and inside them', async () => {
    const redactor = redactorFor(source('a', SHORT), source('b', LONG));
    const text = `>${SHORT}${LONG}<`;

    for (const pieces of cuts(text)) {
      expect((await streamThrough(redactor, pieces)).toString()).toBe('>***<');
    }
  });

  it('hides the whole of two overlapping secrets, however they are cut', async () => {
    const redactor = redactorFor(source('a', 'abc-secret-def'), source('b', 'def-other-ghi'));
    const text = 'x abc-secret-def-other-ghi y';

    for (const pieces of cuts(text)) {
      expect((await streamThrough(redactor, pieces)).toString()).toBe('x *** y');
    }
  });

  it.each([
    ['ends in \\n', 'nl_terminated_value_31337\n', '***\n'],
    ['ends in \\r\\n', 'nl_terminated_value_31337\r\n', '***\r\n'],
    ['starts and ends with \\n', '\nnl_wrapped_value_31337\n', '\n***\n'],
    [
      'has three lines',
      'line-one-of-three\nline-two-of-three\r\nline-three\n',
      '***\n***\r\n***\n',
    ],
  ])(
    'keeps the line breaks of a value that %s, cut anywhere into two or three chunks',
    async (_name, secret, masked) => {
      const redactor = redactorFor(source('secret', secret));
      const text = `#6 0.061 ${secret}#6 0.061 after-line\n`;

      for (const pieces of cuts(text)) {
        const output = (await streamThrough(redactor, pieces)).toString();
        expect(output, `cut ${pieces.map((piece) => piece.length).join('+')}`).toBe(
          `#6 0.061 ${masked}#6 0.061 after-line\n`,
        );
      }
    },
  );

  it('holds a value back until its line break arrives, then writes ***, then it', async () => {
    const stream = createRedactStream(redactorFor(source('nlv', 'nl_terminated_value_31337\n')));

    expect(await writeAndCollect(stream, '#6 0.061 nl_terminated_value_31337')).toBe('#6 0.061 ');
    expect(await writeAndCollect(stream, '\n#6 0.061 after-line\n')).toBe(
      '***\n#6 0.061 after-line\n',
    );
    stream.end();
  });

  it('emits ordinary output at once, holding back only a possible start of a mask', async () => {
    const stream = createRedactStream(redactorFor(source('secret', 'world-secret-42')));

    expect(await writeAndCollect(stream, 'hello wor')).toBe('hello ');
    expect(await writeAndCollect(stream, 'k\n')).toBe('work\n');
    stream.end();
  });

  it('writes a line break at once though a value starts with one (a key file)', async () => {
    const key = '\n-----BEGIN KEY-----\nbGluZS1vbmU=\n-----END KEY-----\n';
    const stream = createRedactStream(redactorFor(source('key', key)));

    expect(await writeAndCollect(stream, '#6 0.040 start\n')).toBe('#6 0.040 start\n');
    expect(await writeAndCollect(stream, key)).toBe('\n***\n***\n***\n');
    stream.end();
  });

  it('emits all of a chunk no mask can start in before the stream ends', async () => {
    const stream = createRedactStream(redactorFor(source('secret', 's3cr3t-value')));

    expect(await writeAndCollect(stream, 'hello wor')).toBe('hello wor');
    stream.end();
  });

  it('masks each body line of a multi-line value printed line by line with prefixes', async () => {
    const pem =
      '-----BEGIN KEY-----\n  MIIEvQIBADANBgkqhkiG9w0B\n' +
      '  AQEFAASCBKcwggSjAgEAAoIB\n-----END KEY-----\n';
    const redactor = redactorFor(source('key', pem));
    const printed = pem.split('\n').map((line) => `#7 0.512 ${line}\n`);

    expect((await streamThrough(redactor, printed)).toString()).toBe(
      '#7 0.512 -----BEGIN KEY-----\n#7 0.512   ***\n#7 0.512   ***\n' +
        '#7 0.512 -----END KEY-----\n#7 0.512 \n',
    );
  });

  it('masks a long secret arriving in many small chunks', async () => {
    const secret = randomBytes(150_000).toString('base64');
    const redactor = redactorFor(source('big', secret));
    const data = Buffer.from(`before ${secret} after ${secret.slice(0, 1000)}!`);
    const chunks = Array.from({ length: Math.ceil(data.length / 97) }, (_, index) =>
      data.subarray(index * 97, (index + 1) * 97),
    );

    expect((await streamThrough(redactor, chunks)).toString()).toBe(
      `before *** after ${secret.slice(0, 1000)}!`,
    );
  });

  it('masks a value of one byte repeated (a mask cut short at every start)', async () => {
    // 64 KiB chunks of it held tens of thousands of cut-short masks at once (a stack overflow).
    const secret = Buffer.alloc(70_000, 'C');
    const redactor = redactorFor(source('run', secret));
    const data = Buffer.concat([Buffer.from('#6 0.1 '), secret, Buffer.from('\n')]);
    const chunks = [data.subarray(0, 65_536), data.subarray(65_536)];

    expect((await streamThrough(redactor, chunks)).toString()).toBe('#6 0.1 ***\n');
  }, 30_000);

  it('passes ANSI escapes and carriage returns of tty progress through', async () => {
    const redactor = redactorFor(source('secret', LONG));
    const frames = [`\x1b[2K\r => [3/4] RUN echo ${LONG.slice(0, 9)}`, `${LONG.slice(9)}\x1b[0m\r`];

    expect((await streamThrough(redactor, frames)).toString()).toBe(
      '\x1b[2K\r => [3/4] RUN echo ***\x1b[0m\r',
    );
  });

  it('masks binary values in binary data cut into random chunks', async () => {
    const secret = randomBytes(48);
    const redactor = redactorFor(source('blob', secret));
    const data = Buffer.concat([randomBytes(1000), secret, randomBytes(500), secret]);
    const chunks = [data.subarray(0, 1020), data.subarray(1020, 1530), data.subarray(1530)];
    const output = await streamThrough(redactor, chunks);

    expect(output.includes(secret)).toBe(false);
    expect(output).toEqual(redactor.redactBuffer(data));
  });
});

describe('redactWritable', () => {
  function collect(target: PassThrough): Buffer[] {
    const received: Buffer[] = [];
    target.on('data', (chunk: Buffer) => received.push(chunk));
    return received;
  }

  it('has written everything, masked, when it finishes, and leaves the target open', async () => {
    const target = new PassThrough();
    const received = collect(target);
    const writable = redactWritable(redactorFor(source('secret', LONG)), target);
    const finished = new Promise((resolve) => writable.on('finish', resolve));

    writable.write(`token ${LONG.slice(0, 10)}`);
    writable.end(`${LONG.slice(10)} done\n`);
    await finished;

    expect(Buffer.concat(received).toString()).toBe('token *** done\n');
    expect(target.writableEnded).toBe(false);
  });

  it('ends a pipeline only after the held-back tail reached the target', async () => {
    const target = new PassThrough();
    const received = collect(target);
    const output = redactWritable(redactorFor(source('secret', LONG)), target);

    await pipeline(Readable.from([Buffer.from(`a ${LONG.slice(0, 3)}`)]), output);
    expect(Buffer.concat(received).toString()).toBe(`a ${LONG.slice(0, 3)}`);
  });

  it('passes errors of the target to the writer', async () => {
    const target = new Writable({ write: (_chunk, _encoding, done) => done(new Error('EPIPE')) });
    target.on('error', () => undefined);
    const output = redactWritable(redactorFor(source('secret', LONG)), target);

    await expect(pipeline(Readable.from([Buffer.from('line\n')]), output)).rejects.toThrow('EPIPE');
  });
});
