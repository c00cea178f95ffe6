import { describe, expect, it } from 'vitest';

import { alignColumns } from './columns.js';

describe('alignColumns', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(
      alignColumns([
        ['a_long_name', 'file', 'x'],
        ['b', 'environment', 'y'],
      ]),
    ).toEqual(['a_long_name  file         x', 'b            environment  y']);
  });

  it('handles rows of different lengths and no rows', () => {
    expect(alignColumns([['a', 'b'], ['ccc']])).toEqual(['a    b', 'ccc']);
    expect(alignColumns([])).toEqual([]);
  });
});
