import { describe, expect, it } from 'vitest';

import { renderMasked } from './render.js';

const render = (text: string, ranges: number[], cut = Buffer.byteLength(text)) =>
  renderMasked(Buffer.from(text), ranges, cut).output.toString();

describe('renderMasked', () => {
  it('replaces each covered range with one ***', () => {
    expect(render('a secret b secret c', [2, 8, 11, 17])).toBe('a *** b *** c');
  });

  it.each([
    ['\\n', '\n'],
    ['\\r\\n', '\r\n'],
    ['\\r', '\r'],
  ])('writes the %s that ends a covered range as it is', (_name, ending) => {
    const text = `#1 value${ending}#1 next${ending}`;

    expect(render(text, [3, 8 + ending.length])).toBe(`#1 ***${ending}#1 next${ending}`);
  });

  it('writes the line breaks a covered range starts with as they are', () => {
    expect(render('before\r\n\nvalue!', [6, 14])).toBe('before\r\n\n***!');
  });

  it('writes one *** for each line inside a covered range, and blank lines as they are', () => {
    expect(render('>one\ntwo\r\n\nthree\n<', [1, 17])).toBe('>***\n***\r\n\n***\n<');
  });

  it('writes a covered range of nothing but line breaks as those breaks', () => {
    expect(render('a\n\nb', [1, 3])).toBe('a\n\nb');
  });

  it('reports whether the range open at the cut ends inside a *** or after a line break', () => {
    const data = Buffer.from('x value\nmore');

    expect(renderMasked(data, [2, 12], 5)).toMatchObject({ open: true, carry: 7, hidden: true });
    expect(renderMasked(data, [2, 12], 8)).toMatchObject({ open: true, carry: 4, hidden: false });
    expect(renderMasked(data, [2, 5], 7)).toMatchObject({ open: false, hidden: false });
  });

  it('continues an open range with no new *** until a line break ends it', () => {
    const rest = Buffer.from('lue\nmore!');

    expect(renderMasked(rest, [0, 8], 9, true, true).output.toString()).toBe('\n***!');
    expect(renderMasked(rest, [0, 8], 9, true, false).output.toString()).toBe('***\n***!');
  });

  it('renders a range cut into pieces at every position exactly as in one piece', () => {
    const text = 'a\r\nvalue-1\n\nvalue-2\r\nz';
    const range = [1, 21];
    const whole = render(text, range);

    for (let cut = 2; cut < 21; cut++) {
      const first = renderMasked(Buffer.from(text), range, cut);
      const rest = Buffer.from(text.slice(cut));
      const second = renderMasked(rest, [0, first.carry], rest.length, first.open, first.hidden);

      expect(`${first.output.toString()}${second.output.toString()}`, `cut ${cut}`).toBe(whole);
    }
    expect(whole).toBe('a\r\n***\n\n***\r\nz');
  });
});
