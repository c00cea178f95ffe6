// The text handed to dockerfile-ast, adjusted where it would split instructions differently from
// BuildKit. Lines are never added or removed, so line numbers stay the same; only dockerfile-ast
// sees the adjusted text, and everything BuildKit reads from a line comes from the original.

import { isCommentLine } from './lines.js';

/**
 * - dockerfile-ast reads any `# key=value` comment at the top as a directive, while BuildKit stops
 *   at the first unknown key, so an `# escape=` after `# foo=bar` would change how dockerfile-ast
 *   joins lines but not how BuildKit does: the comment that ends BuildKit's block becomes `#`.
 * - dockerfile-ast continues every line that ends in the escape token; BuildKit does not when the
 *   token is itself escaped (`echo \\`): such trailing tokens are dropped. An ARG or ENV value
 *   ending in them loses them, a rare case.
 */
export function sourceForParser(
  lines: readonly string[],
  directiveCount: number,
  escape: string,
): string {
  const token = escape === '`' ? '`' : '\\\\';
  const escapedEnd = new RegExp(`${token}{2,}[ \\t]*$`);

  return lines
    .map((line, index) => {
      if (index === directiveCount && isCommentLine(line)) return '#';
      return line.replace(escapedEnd, '');
    })
    .join('\n');
}
