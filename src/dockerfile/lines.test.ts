import { describe, expect, it } from 'vitest';

import { joinInstruction, splitInstruction, splitLines } from './lines.js';

describe('joinInstruction', () => {
  it.each([
    [['RUN a \\', '  b'], 'RUN a   b'],
    [['RUN a \\  \t', 'b'], 'RUN a b'],
    [['  RUN a \\', '# note', '', '  b'], 'RUN a   b'],
    [['RUN a \\\\', 'RUN b'], 'RUN a \\\\'],
    [['RUN a', 'RUN b'], 'RUN a'],
    [['RUN a \\'], 'RUN a '],
  ])('joins %j into %j', (lines, joined) => {
    expect(joinInstruction(lines, 0, '\\')).toBe(joined);
  });

  it('uses the backtick when it is the escape token', () => {
    expect(joinInstruction(['RUN a `', 'b \\', 'c'], 0, '`')).toBe('RUN a b \\');
  });
});

describe('splitLines', () => {
  it('drops a byte order mark and folds CR LF', () => {
    expect(splitLines('\uFEFFFROM a\r\nRUN b\r\n')).toEqual(['FROM a', 'RUN b', '']);
  });
});

describe('splitInstruction', () => {
  it.each([
    ['RUN --mount=a --mount=b echo hi', ['--mount=a', '--mount=b'], 'echo hi'],
    ['RUN --mount="a b" echo', ['--mount=a b'], 'echo'],
    ['RUN --mount=\'a "b"\' echo', ['--mount=a "b"'], 'echo'],
    ['RUN --mount=a\\,b echo', ['--mount=a,b'], 'echo'],
    ['RUN --mount=a\\"b echo', ['--mount=a"b'], 'echo'],
    ['RUN --mount=a -- --mount=b', ['--mount=a'], ' --mount=b'],
    ['RUN echo --mount=a', [], 'echo --mount=a'],
    ['RUN ["cat", "x"]', [], '["cat", "x"]'],
    ['COPY --from=build --chown=1:1 a b', ['--from=build', '--chown=1:1'], 'a b'],
    ['RUN', [], ''],
  ])('splits %j into flags %j and %j', (line, flags, rest) => {
    const split = splitInstruction(line);

    expect(split.flags).toEqual(flags);
    expect(split.rest).toBe(rest.trim());
  });

  it('lower-cases the keyword', () => {
    expect(splitInstruction('  Run --mount=a echo').keyword).toBe('run');
  });
});
