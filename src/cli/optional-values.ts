// Options whose value may be left out: `--scan-leaks` alone means `--scan-leaks=warn`. yargs would
// take the next word as the value instead, so `build --scan-leaks .` lost its build context.
// Before parsing, such an option followed by anything but one of its values gets its default.
//
// And options whose value may be `-` (stdin): yargs never takes a word starting with a dash as a
// value, so `--from-file -` became an option without one and a stray argument. They are joined.

const DASH_VALUES: readonly string[] = ['--from-file'];

const OPTIONAL_VALUES: Readonly<Record<string, { values: readonly string[]; bare: string }>> = {
  '--scan-leaks': { values: ['warn', 'fail', 'off'], bare: 'warn' },
};

export function bindOptionalValues(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  const rest = end === -1 ? [] : argv.slice(end);

  const joined = options.flatMap((arg, index) => {
    if (arg === '-' && DASH_VALUES.includes(options[index - 1])) return [];
    return DASH_VALUES.includes(arg) && options[index + 1] === '-' ? [`${arg}=-`] : [arg];
  });
  const bound = joined.map((arg, index) => {
    const optional = OPTIONAL_VALUES[arg];
    if (optional === undefined || optional.values.includes(joined[index + 1])) return arg;
    return `${arg}=${optional.bare}`;
  });
  return [...bound, ...rest];
}
