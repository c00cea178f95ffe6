// Small helpers for tar-stream entries, shared by the export and layer walks.

import type { Header } from 'tar-stream';

/** An entry as tar-stream's extract yields it (its type for this is not exported). */
export type TarEntry = AsyncIterable<unknown> & { readonly header: Header };

/** Regular files are the only entries with content; links, directories and devices have none. */
export function isRegularFile(header: Header): boolean {
  return header.type === 'file' || header.type === 'contiguous-file';
}

/** PAX records other than the path and link target, which `name` and `linkname` already hold. */
export function paxRecords(header: Header): [string, string][] {
  const pax = typeof header.pax === 'object' && header.pax !== null ? header.pax : {};

  return Object.entries(pax as Record<string, unknown>)
    .filter(([key]) => key !== 'path' && key !== 'linkpath')
    .map(([key, value]) => [key, String(value)]);
}

/** Reads an entry to its end: tar-stream moves to the next entry only then. */
export async function untilEnd(entry: AsyncIterable<unknown>): Promise<void> {
  for await (const chunk of entry) void chunk;
}
