// yargs' parser settings every command shares. Arguments are passed on as typed: `0x10`, `1e1`
// or `007` (a command under exec, a context, a tag) is never turned into a number. A command's
// builder that sets its own settings must spread these in, as yargs replaces them whole.

export const AS_TYPED = {
  'parse-numbers': false,
  'parse-positional-numbers': false,
} as const;
