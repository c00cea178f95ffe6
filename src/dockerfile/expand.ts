// Variable expansion as BuildKit's shell lexer does it for FROM, ARG, ENV and `--mount` values:
// quotes removed, `$VAR`, `${VAR}`, `${VAR:-w}`, `${VAR-w}`, `${VAR:+w}`, `${VAR+w}`, `${VAR:?m}`.
// Upstream: moby/buildkit frontend/dockerfile/shell/lex.go, v0.33. What cannot be known before the
// build (an ARG with no value, a variable from the base image) becomes UNKNOWN in the result, so
// a caller can still tell whether the part it cares about (a registry host, a file name) is known.

/** Stands in for text that cannot be known before the build. Never occurs in a Dockerfile. */
export const UNKNOWN = '\u0000';

export type VarValue =
  /** `value` may hold UNKNOWN parts, explained by `problems`. */
  | { readonly kind: 'set'; readonly value: string; readonly problems?: readonly string[] }
  | { readonly kind: 'unset'; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string };

export type Lookup = (name: string) => VarValue;

export interface Expansion {
  /** The expanded text; UNKNOWN marks each part that could not be resolved. */
  readonly text: string;
  /** Why parts are unknown, one message per cause. */
  readonly problems: string[];
}

const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);

class ExpansionError extends Error {}

/** Expands one word. A syntax error makes the whole word unknown, with BuildKit's reason. */
export function expandWord(word: string, lookup: Lookup, escape: string): Expansion {
  const lexer = new Lexer(word, lookup, escape);
  try {
    return { text: lexer.processUntil(undefined), problems: unique(lexer.problems) };
  } catch (error) {
    if (!(error instanceof ExpansionError)) throw error;
    return { text: UNKNOWN, problems: [`cannot expand ${JSON.stringify(word)}: ${error.message}`] };
  }
}

export function isKnown(text: string): boolean {
  return !text.includes(UNKNOWN);
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

class Lexer {
  readonly problems: string[] = [];
  private readonly chars: string[];
  private position = 0;

  constructor(
    source: string,
    private readonly lookup: Lookup,
    private readonly escape: string,
  ) {
    this.chars = Array.from(source);
  }

  processUntil(stop: string | undefined): string {
    let result = '';
    while (!this.atEnd()) {
      const char = this.peek() ?? '';
      if (char === stop) {
        this.position++;
        return result;
      }
      result += this.processChar(char);
    }
    if (stop !== undefined) throw new ExpansionError(`missing '${stop}'`);
    return result;
  }

  private processChar(char: string): string {
    if (char === "'") return this.singleQuoted();
    if (char === '"') return this.doubleQuoted();
    if (char === '$') return this.dollar();

    this.position++;
    if (char !== this.escape) return char;
    return this.atEnd() ? '' : this.next();
  }

  private singleQuoted(): string {
    this.position++;
    let result = '';
    while (!this.atEnd()) {
      const char = this.next();
      if (char === "'") return result;
      result += char;
    }
    throw new ExpansionError('unexpected end of statement while looking for matching single-quote');
  }

  // Inside double quotes the escape token escapes only `"`, `$` and itself.
  private doubleQuoted(): string {
    this.position++;
    let result = '';
    while (!this.atEnd()) {
      const char = this.peek();
      if (char === '"') {
        this.position++;
        return result;
      }
      if (char === '$') {
        result += this.dollar();
        continue;
      }
      result += this.quotedChar();
    }
    throw new ExpansionError('unexpected end of statement while looking for matching double-quote');
  }

  private quotedChar(): string {
    const char = this.next();
    if (char !== this.escape) return char;
    if (this.atEnd()) return '';

    const following = this.peek();
    const escapable = following === '"' || following === '$' || following === this.escape;
    return escapable ? this.next() : char;
  }

  private dollar(): string {
    this.position++;
    if (this.peek() !== '{') {
      const name = this.readName();
      return name === '' ? '$' : this.bare(name);
    }

    this.position++;
    const first = this.peek();
    if (first === undefined) throw new ExpansionError("missing '}'");
    if (first === '{' || first === '}' || first === ':')
      throw new ExpansionError('bad substitution');
    const name = this.readName();
    return this.braced(name);
  }

  private braced(name: string): string {
    if (this.atEnd()) throw new ExpansionError("missing '}'");
    const operator = this.next();
    if (operator === '}') return this.bare(name);
    if (operator === ':') return this.modified(name, this.next(), true);
    if (operator === '-' || operator === '+' || operator === '?') {
      return this.modified(name, operator, false);
    }
    if (operator === '#' || operator === '%' || operator === '/')
      return this.pattern(name, operator);
    throw new ExpansionError(`unsupported modifier (${operator ?? 'end'}) in substitution`);
  }

  private bare(name: string): string {
    if (!isIdentifier(name)) return '';

    const value = this.lookup(name);
    if (value.kind === 'set') {
      this.problems.push(...(value.problems ?? []));
      return value.value;
    }
    this.problems.push(value.reason);
    return UNKNOWN;
  }

  // `${VAR:-w}` and friends. The word is only evaluated for its problems when it is used.
  private modified(name: string, modifier: string | undefined, colon: boolean): string {
    if (modifier !== '-' && modifier !== '+' && modifier !== '?') {
      throw new ExpansionError(`unsupported modifier (${modifier ?? 'end'}) in substitution`);
    }
    const mark = this.problems.length;
    const word = this.processUntil('}');
    const value = isIdentifier(name) ? this.lookup(name) : unsetValue(name);

    if (value.kind === 'unknown' || (value.kind === 'set' && value.value === UNKNOWN)) {
      this.problems.length = mark;
      this.problems.push(...problemsOf(value));
      return UNKNOWN;
    }
    const isSet = value.kind === 'set' && (!colon || value.value !== '');
    const wordUsed = modifier === '-' ? !isSet : modifier === '+' ? isSet : false;
    if (!wordUsed) this.problems.length = mark;
    if (isSet && modifier !== '+') this.problems.push(...problemsOf(value));

    const current = value.kind === 'set' ? value.value : '';
    return this.applyModifier(name, modifier, isSet ? current : undefined, word);
  }

  private applyModifier(
    name: string,
    modifier: '-' | '+' | '?',
    current: string | undefined,
    word: string,
  ): string {
    if (modifier === '-') return current ?? word;
    if (modifier === '+') return current === undefined ? '' : word;
    if (current !== undefined) return current;

    this.problems.push(
      `BuildKit stops the build: ${name}: ${word || 'is not allowed to be unset'}`,
    );
    return UNKNOWN;
  }

  // `${VAR#p}`, `${VAR%p}`, `${VAR/p/r}`: glob patterns that ona-build does not evaluate.
  private pattern(name: string, operator: string): string {
    this.processUntil('}');
    this.problems.push(`the form \${${name}${operator}...} is not evaluated by ona-build`);
    return UNKNOWN;
  }

  // Names are letters, digits and `_`; `$1` and the special parameters are read but never set.
  private readName(): string {
    const first = this.peek();
    if (first !== undefined && /^\p{Nd}$/u.test(first)) {
      let digits = '';
      while (!this.atEnd() && /^\p{Nd}$/u.test(this.peek() ?? '')) digits += this.next();
      return digits;
    }
    if (first !== undefined && SPECIAL_PARAMS.has(first)) return this.next();

    let name = '';
    while (!this.atEnd() && /^[\p{L}\p{Nd}_]$/u.test(this.peek() ?? '')) name += this.next();
    return name;
  }

  private peek(): string | undefined {
    return this.chars[this.position];
  }

  private next(): string {
    return this.chars[this.position++] ?? '';
  }

  private atEnd(): boolean {
    return this.position >= this.chars.length;
  }
}

function isIdentifier(name: string): boolean {
  return /^[\p{L}_][\p{L}\p{Nd}_]*$/u.test(name);
}

function problemsOf(value: VarValue): readonly string[] {
  return value.kind === 'set' ? (value.problems ?? []) : [value.reason];
}

function unsetValue(name: string): VarValue {
  return { kind: 'unset', reason: `${name} is never set` };
}
