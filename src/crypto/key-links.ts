// Another hard link to the master key file is the key under a name no path check can see, perhaps
// in a build context. Finding it would mean walking every context on every build, so builds warn
// about the count and doctor fails it.

import fs from 'node:fs';

/** What is wrong with the key file's links, or undefined when it is a file of its own. */
export function keyLinksProblem(keyFile: string): string | undefined {
  const links = fs.lstatSync(keyFile, { throwIfNoEntry: false })?.nlink ?? 1;
  if (links <= 1) return undefined;

  const others = links === 2 ? 'another hard link' : `${links - 1} other hard links`;
  return (
    `the master key file ${keyFile} has ${others}: a build context holding one could copy the ` +
    'key into the image; make it a file of its own (cp, then rm the links)'
  );
}
