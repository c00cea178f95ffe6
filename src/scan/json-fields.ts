// The text of a parsed JSON document, member by member, with the path a report names it by:
// `config.Env[2]`, `history[3].created_by`, `config.Labels["org.example.token"]`. Values are
// searched decoded, so a secret is found however the writer escaped it, and an escaped form that
// a step wrote literally is still there in the decoded text.

export interface JsonText {
  readonly field: string;
  readonly text: string;
  /** The text is a member name rather than a value. */
  readonly isName: boolean;
}

/** Shows member names in paths; the scanner passes one that hides secrets in them. */
export type ShowName = (name: string) => string;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function* jsonTexts(node: unknown, show: ShowName, field = ''): Generator<JsonText> {
  if (typeof node === 'string') yield { field, text: node, isName: false };
  else if (typeof node === 'number') yield { field, text: String(node), isName: false };
  else if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) yield* jsonTexts(item, show, `${field}[${index}]`);
  } else if (typeof node === 'object' && node !== null) {
    for (const [name, value] of Object.entries(node)) {
      const member = memberPath(field, show(name));
      yield { field: member, text: name, isName: true };
      yield* jsonTexts(value, show, member);
    }
  }
}

function memberPath(parent: string, name: string): string {
  if (!IDENTIFIER.test(name)) return `${parent}[${JSON.stringify(name)}]`;
  return parent === '' ? name : `${parent}.${name}`;
}
