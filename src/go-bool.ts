// Booleans as Go's strconv.ParseBool reads them, which BuildKit and buildx read their settings
// with (`required=1`, `push=TRUE`, `--no-cache=t`).

const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** true or false, or undefined for a word ParseBool refuses. */
export function parseGoBool(text: string): boolean | undefined {
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  return undefined;
}
