// A copy of a secret's beginning is masked like a whole one when it holds half the value or more
// (as `head -c`, `cut -c` or a `hexdump -C` row may leave it), or when it ends a line and
// BuildKit's clip notice follows (it cuts a step's log at its size limit wherever the limit
// falls). A copy of its end that holds half of it (`tail -c`, the second line of a value a
// terminal wrapped) has the value's last half masked.

import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { CUT_MIN } from './mask-index.js';
import { buildMasks, type MaskSource } from './masks.js';
import { Redactor } from './redactor.js';
import { streamThrough } from './__fixtures__/test-helpers.js';

const source = (id: string, value: string | Buffer): MaskSource => ({
  id,
  value: Buffer.from(value),
});

const redactorFor = (...sources: MaskSource[]) => new Redactor(buildMasks(sources));

const TOKEN = 'clipvalue-0123456789abcdefghijklmnopqrstuvwxyz';
const CLIP_NOTICE = '#6 0.060 [output clipped, log limit 200KiB/s reached]\n';

/** Every way to cut `text` in two. */
function splits(text: string): [string, string][] {
  return Array.from({ length: text.length + 1 }, (_, at) => [text.slice(0, at), text.slice(at)]);
}

describe('cut copies in complete text', () => {
  it("masks a value cut short by BuildKit's log clipping", () => {
    const printed = `#6 0.054 xxxx${TOKEN.slice(0, 30)}\n${CLIP_NOTICE}`;

    expect(redactorFor(source('token', TOKEN)).redact(printed)).toBe(
      `#6 0.054 xxxx***\n${CLIP_NOTICE}`,
    );
  });

  it('masks cuts of any length from CUT_MIN bytes on when the clip notice follows', () => {
    const redactor = redactorFor(source('token', TOKEN));

    for (let length = CUT_MIN; length < TOKEN.length; length++) {
      const cut = TOKEN.slice(0, length);
      expect(redactor.redact(`a ${cut}\n${CLIP_NOTICE}`)).toBe(`a ***\n${CLIP_NOTICE}`);
      expect(redactor.redact(`a ${cut}\r\n${CLIP_NOTICE}`)).toBe(`a ***\r\n${CLIP_NOTICE}`);
    }
  });

  it('masks other cuts at a line end from half the value on, as head -c leaves them', () => {
    const redactor = redactorFor(source('token', TOKEN));
    const half = Math.ceil(TOKEN.length / 2);

    for (let length = CUT_MIN; length < TOKEN.length; length++) {
      const printed = `a ${TOKEN.slice(0, length)}\nb`;
      expect(redactor.redact(printed)).toBe(length >= half ? 'a ***\nb' : printed);
    }
  });

  it('masks a beginning holding half the value in mid-line too, as `cut -c1-16` leaves it', () => {
    const value = 'supersecretvalue-ABC123';
    const printed = `key starts ${value.slice(0, 16)}, looks fine\n`;

    expect(redactorFor(source('token', value)).redact(printed)).toBe(
      'key starts ***, looks fine\n',
    );
  });

  it("masks a value's last half wherever a copy of its end shows it", () => {
    const redactor = redactorFor(source('token', TOKEN));
    const half = Math.ceil(TOKEN.length / 2);
    const tail = TOKEN.slice(-half);

    for (let length = half; length < TOKEN.length; length++) {
      const kept = TOKEN.slice(-length, -half);
      expect(redactor.redact(`end: ${TOKEN.slice(-length)} ok`)).toBe(`end: ${kept}*** ok`);
    }
    // A line the terminal display wrapped: whichever part holds half the value is masked.
    const wrapped = `=> => # token ${TOKEN.slice(0, 10)}\n=> => # ${TOKEN.slice(10)}\n`;
    expect(redactor.redact(wrapped)).not.toContain(tail);
    expect(redactor.redact(`end: ${TOKEN.slice(-half + 1)}`)).toBe(
      `end: ${TOKEN.slice(-half + 1)}`,
    );
  });

  it("masks no piece shorter than 12 bytes: a short value's half could turn up by chance", () => {
    const redactor = redactorFor(source('weak', 'password12345678'));

    expect(redactor.redact('password reset, code 12345678')).toBe('password reset, code 12345678');
    expect(redactor.redact('got word12345678 back')).toBe('got *** back');
  });

  it("keeps a value's public beginning readable: an .npmrc's registry host", () => {
    const npmrc = '//localhost:4873/:_authToken=npm_Tok3nCutOutOfAnNpmrc\nregistry=http://x/\n';
    const printed = '#9 0.2 npm registry: http://localhost:4873/\n';

    expect(redactorFor(source('npmrc', npmrc)).redact(printed)).toBe(printed);
  });

  it('masks a long cut of a long value: 200 KB of a 300 KB one', () => {
    const value = randomBytes(225_000).toString('base64');
    const printed = `#6 0.054 ${value.slice(0, 200_000)}\n${CLIP_NOTICE}`;

    expect(redactorFor(source('big', value)).redact(printed)).toBe(`#6 0.054 ***\n${CLIP_NOTICE}`);
  });

  it('masks the cut encoded forms too: a base64 copy cut at a line end', () => {
    const encoded = Buffer.from(TOKEN).toString('base64');
    const printed = `#6 0.054 ${encoded.slice(0, 40)}\n`;

    expect(redactorFor(source('token', TOKEN)).redact(printed)).toBe('#6 0.054 ***\n');
  });

  it('masks a cut by the end of the text (an error message cut short)', () => {
    expect(redactorFor(source('token', TOKEN)).redact(`got ${TOKEN.slice(0, 30)}`)).toBe('got ***');
  });

  it('leaves shorter cuts, and beginnings of values in mid-line, alone', () => {
    const redactor = redactorFor(source('token', TOKEN));
    const short = `a ${TOKEN.slice(0, CUT_MIN - 1)}\n${CLIP_NOTICE}`;
    const midLine = `a ${TOKEN.slice(0, 20)} and more\n`;

    expect(redactor.redact(short)).toBe(short);
    expect(redactor.redact(midLine)).toBe(midLine);
  });

  it("keeps a multi-line value's own first line, which is no cut", () => {
    const value = '-----BEGIN TEST KEY-----\nbody-line-one-of-the-key\n-----END TEST KEY-----\n';
    const printed = '#7 -----BEGIN TEST KEY-----\n#7 body-line-one-of-the-key\n';

    expect(redactorFor(source('key', value)).redact(printed)).toBe(
      '#7 -----BEGIN TEST KEY-----\n#7 ***\n',
    );
  });
});

describe('cut copies in a stream', () => {
  it('masks a cut split across chunks anywhere', async () => {
    const redactor = redactorFor(source('token', TOKEN));
    const printed = `#6 0.054 x${TOKEN.slice(0, 30)}\n${CLIP_NOTICE}`;

    for (const chunks of splits(printed)) {
      const output = (await streamThrough(redactor, chunks)).toString();
      expect(output, JSON.stringify(chunks)).toBe(`#6 0.054 x***\n${CLIP_NOTICE}`);
    }
  });

  it("masks a value's last half split across chunks anywhere", async () => {
    const redactor = redactorFor(source('token', TOKEN));
    const half = Math.ceil(TOKEN.length / 2);

    for (const chunks of splits(`end: ${TOKEN.slice(-30)} ok\n`)) {
      const output = (await streamThrough(redactor, chunks)).toString();
      expect(output, JSON.stringify(chunks)).toBe(`end: ${TOKEN.slice(-30, -half)}*** ok\n`);
    }
  });

  it('masks a cut that the end of the stream leaves, in any chunking', async () => {
    const redactor = redactorFor(source('token', TOKEN));

    for (const chunks of splits(`last: ${TOKEN.slice(0, 30)}`)) {
      const output = (await streamThrough(redactor, chunks)).toString();
      expect(output, JSON.stringify(chunks)).toBe('last: ***');
    }
  });
});
