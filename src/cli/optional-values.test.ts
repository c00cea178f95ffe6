import { describe, expect, it } from 'vitest';

import { bindOptionalValues } from './optional-values.js';

describe('bindOptionalValues', () => {
  it.each([
    [
      ['build', '--scan-leaks', '.'],
      ['build', '--scan-leaks=warn', '.'],
    ],
    [
      ['build', '.', '--scan-leaks'],
      ['build', '.', '--scan-leaks=warn'],
    ],
    [
      ['build', '--scan-leaks', 'fail', '.'],
      ['build', '--scan-leaks', 'fail', '.'],
    ],
    [
      ['build', '--scan-leaks=off', '.'],
      ['build', '--scan-leaks=off', '.'],
    ],
    [
      ['exec', '--org', 'a', '--', 'tool', '--scan-leaks', 'x'],
      ['exec', '--org', 'a', '--', 'tool', '--scan-leaks', 'x'],
    ],
    [
      ['secret', 'set', 'A', '--from-file', '-', '--org', 'o'],
      ['secret', 'set', 'A', '--from-file=-', '--org', 'o'],
    ],
    [
      ['secret', 'set', 'A', '--from-file', 'f', '-'],
      ['secret', 'set', 'A', '--from-file', 'f', '-'],
    ],
    [
      ['exec', '--org', 'a', '--', 'tool', '--from-file', '-'],
      ['exec', '--org', 'a', '--', 'tool', '--from-file', '-'],
    ],
  ])('turns %j into %j', (argv, expected) => {
    expect(bindOptionalValues(argv)).toEqual(expected);
  });
});
