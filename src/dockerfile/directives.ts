// Parser directives (`# syntax=`, `# escape=`, `# check=`) as BuildKit reads them. Two readers
// exist upstream and they differ:
// - the Dockerfile parser (escape) left-trims each line and stops at the first line that is not a
//   known directive: a blank line, any other comment, an instruction, or a `#!` line;
// - syntax detection, which picks the frontend image to pull, skips a `#!` first line but does
//   not left-trim, and falls back to `//`-prefixed directives.
// A directive key appears at most once; a repeat is an error for the parser.
// Upstream: moby/buildkit frontend/dockerfile/parser/directives.go (DirectiveParser,
// DetectSyntax) and parser.go (Parse), v0.33; `check` is known since v0.14 (Dockerfile 1.8).

import type { DockerfileWarning } from './types.js';

export interface Directive {
  readonly name: string;
  readonly value: string;
  /** 0-based line. */
  readonly index: number;
}

interface DirectiveBlock {
  readonly directives: Directive[];
  /** A repeated key, where reading stopped. */
  readonly repeated?: Directive;
}

const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);

const SYNTAX_TOO_LATE =
  'this syntax directive is ignored: BuildKit reads parser directives only at the top of the ' +
  'file, before any comment, blank line or instruction, so the build uses the built-in frontend';
const SYNTAX_INDENTED =
  'this syntax directive is ignored: BuildKit detects it only when "#" starts the line';
const CHECK_FIRST =
  'the check directive comes before the syntax directive: BuildKit releases before v0.14 stop ' +
  'reading directives at "check" and ignore the syntax directive; put "# syntax=" first';
const DIRECTIVE_BODY = /^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$/;

function parseDirective(line: string, prefix: string): Omit<Directive, 'index'> | undefined {
  if (!line.startsWith(prefix)) return undefined;

  const match = DIRECTIVE_BODY.exec(line.slice(prefix.length).trimStart());
  const name = match?.[1]?.toLowerCase();
  if (!match || name === undefined || !KNOWN_DIRECTIVES.has(name)) return undefined;
  return { name, value: match[2] ?? '' };
}

function readBlock(
  lines: readonly string[],
  options: { prefix: string; first: number; trimStart: boolean },
): DirectiveBlock {
  const directives: Directive[] = [];
  for (let index = options.first; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const parsed = parseDirective(options.trimStart ? line.trimStart() : line, options.prefix);
    if (!parsed) break;

    const directive = { ...parsed, index };
    if (directives.some((seen) => seen.name === directive.name)) {
      return { directives, repeated: directive };
    }
    directives.push(directive);
  }
  return { directives };
}

/** The leading directives the Dockerfile parser honours; `escape` among them sets the token. */
export function readParserDirectives(lines: readonly string[]): DirectiveBlock {
  return readBlock(lines, { prefix: '#', first: 0, trimStart: true });
}

/** The escape token the directives set: `\` unless a valid `# escape=` says otherwise. */
export function escapeToken(directives: readonly Directive[]): string {
  const value = directives.find((directive) => directive.name === 'escape')?.value;
  return value === '`' ? '`' : '\\';
}

/** The syntax directive BuildKit forwards the build to, if any. */
export function detectSyntax(lines: readonly string[]): Directive | undefined {
  const first = lines[0]?.startsWith('#!') ? 1 : 0;
  for (const prefix of ['#', '//']) {
    const { directives } = readBlock(lines, { prefix, first, trimStart: false });
    const syntax = directives.find((directive) => directive.name === 'syntax');
    if (syntax) return syntax;
  }
  return undefined;
}

/** The frontend image of a syntax value: its first space-separated word. */
export function frontendImage(value: string): string {
  return value.trim().split(' ')[0] ?? '';
}

/**
 * Warnings about directives BuildKit rejects or ignores. `commentLines` are the 0-based lines
 * dockerfile-ast reads as comments or directives, so heredoc bodies are not searched.
 */
export function directiveWarnings(
  lines: readonly string[],
  commentLines: readonly number[],
  honoured: Directive | undefined,
): DockerfileWarning[] {
  const block = readParserDirectives(lines);
  const warnings = [...ignoredSyntaxWarnings(lines, commentLines, honoured, block)];

  if (block.repeated) {
    const { name, index } = block.repeated;
    warnings.push({
      line: index + 1,
      message:
        `the ${name} directive is repeated: BuildKit fails with ` +
        `"only one ${name} parser directive can be used"`,
    });
  }
  warnings.push(...escapeWarnings(block.directives), ...checkOrderWarnings(block, honoured));
  return warnings;
}

function ignoredSyntaxWarnings(
  lines: readonly string[],
  commentLines: readonly number[],
  honoured: Directive | undefined,
  block: DirectiveBlock,
): DockerfileWarning[] {
  const blockEnd = block.directives.length;
  const warnings: DockerfileWarning[] = [];

  for (const index of commentLines) {
    const line = lines[index] ?? '';
    if (index === honoured?.index || index === block.repeated?.index) continue;
    if (parseDirective(line.trimStart(), '#')?.name !== 'syntax') continue;

    const indented = index < blockEnd && line !== line.trimStart();
    warnings.push({ line: index + 1, message: indented ? SYNTAX_INDENTED : SYNTAX_TOO_LATE });
  }
  return warnings;
}

function escapeWarnings(directives: readonly Directive[]): DockerfileWarning[] {
  const escape = directives.find((directive) => directive.name === 'escape');
  if (!escape || escape.value === '\\' || escape.value === '`') return [];
  return [
    {
      line: escape.index + 1,
      message:
        'the escape directive must be "\\" or "`": BuildKit fails with "invalid escape token"',
    },
  ];
}

// BuildKit before v0.14 does not know `check`, so it stops reading directives there.
function checkOrderWarnings(
  block: DirectiveBlock,
  honoured: Directive | undefined,
): DockerfileWarning[] {
  const check = block.directives.find((directive) => directive.name === 'check');
  if (!check || !honoured || check.index > honoured.index) return [];
  return [
    {
      line: check.index + 1,
      message: CHECK_FIRST,
    },
  ];
}
