// How BuildKit turns physical lines into one instruction line and splits off its `--flags`.
// dockerfile-ast finds where instructions start; the text BuildKit acts on is rebuilt here, because
// flags with quotes (`--mount=type=secret,id="a b"`) are read differently by the two parsers.
// Upstream: moby/buildkit frontend/dockerfile/parser/parser.go (Parse, trimContinuationCharacter)
// and split_command.go (splitCommand, extractBuilderFlags), v0.33.

const UTF8_BOM = '\uFEFF';

/** A source split into lines as BuildKit's scanner sees them: BOM dropped, CR LF folded. */
export function splitLines(text: string): string[] {
  const withoutBom = text.startsWith(UTF8_BOM) ? text.slice(1) : text;
  return withoutBom.split('\n').map((line) => line.replace(/\r+$/, ''));
}

/** True for a line BuildKit treats as a comment: `#` after optional leading whitespace. */
export function isCommentLine(line: string): boolean {
  return line.trimStart().startsWith('#');
}

/**
 * Joins the instruction that starts at `start` (0-based) into the single line BuildKit parses.
 * Only the first line is left-trimmed; comment and blank lines inside a continuation are dropped.
 */
export function joinInstruction(lines: readonly string[], start: number, escape: string): string {
  let [text, continues] = trimContinuation(lines[start]?.trimStart() ?? '', escape);

  for (let index = start + 1; continues && index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (isCommentLine(line) || line.trim() === '') continue;

    const [part, more] = trimContinuation(line, escape);
    text += part;
    continues = more;
  }
  return text;
}

// The escape token at the end of a line (spaces and tabs may follow) continues it, unless the
// token is itself escaped.
function trimContinuation(line: string, escape: string): [string, boolean] {
  const token = escape === '`' ? '`' : '\\\\';
  const pattern = new RegExp(`([^${token}])${token}[ \\t]*$|^${token}[ \\t]*$`);
  if (!pattern.test(line)) return [line, false];
  return [line.replace(pattern, '$1'), true];
}

export interface SplitInstruction {
  /** The instruction keyword, lower-cased. */
  readonly keyword: string;
  /** Each `--name=value` flag word, quotes already removed as BuildKit does. */
  readonly flags: string[];
  /** Everything after the flags. */
  readonly rest: string;
}

/** Splits a joined instruction line into keyword, flag words and the remaining arguments. */
export function splitInstruction(line: string): SplitInstruction {
  const trimmed = line.trim();
  const match = /[\t\v\f\r ]+/.exec(trimmed);
  if (!match) return { keyword: trimmed.toLowerCase(), flags: [], rest: '' };

  const keyword = trimmed.slice(0, match.index).toLowerCase();
  const { flags, rest } = extractFlags(trimmed.slice(match.index + match[0].length));
  return { keyword, flags, rest: rest.trim() };
}

/**
 * BuildKit's flag lexer: leading words that start with `--` are flags; `'` and `"` group
 * characters and are dropped, and a backslash (always `\`, whatever the escape directive says)
 * takes the next character literally.
 */
function extractFlags(line: string): { flags: string[]; rest: string } {
  const flags: string[] = [];
  let position = 0;

  while (position < line.length) {
    while (position < line.length && /\s/.test(line.charAt(position))) position++;
    if (!line.startsWith('--', position)) break;

    const [word, end] = readFlagWord(line, position);
    position = end;
    if (word === '--') break;
    flags.push(word);
  }
  return { flags, rest: line.slice(position) };
}

function readFlagWord(line: string, start: number): [string, number] {
  let word = '';
  let quote = '';
  let position = start;

  for (; position < line.length; position++) {
    let char = line.charAt(position);
    if (quote === '' && /\s/.test(char)) break;
    if (quote === '' && (char === '"' || char === "'")) {
      quote = char;
      continue;
    }
    if (quote !== '' && char === quote) {
      quote = '';
      continue;
    }
    if (char === '\\' && position + 1 < line.length) char = line.charAt(++position);
    else if (char === '\\') continue;
    word += char;
  }
  return [word, position];
}

/** A flag word `--name=value` as name and value; `value` is undefined for a bare `--name`. */
export function parseFlag(word: string): { name: string; value?: string } {
  const body = word.slice(2);
  const equals = body.indexOf('=');
  if (equals === -1) return { name: body };
  return { name: body.slice(0, equals), value: body.slice(equals + 1) };
}
