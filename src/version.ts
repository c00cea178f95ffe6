// The package's version, for `--version`. The bundle has it written in at build time
// (scripts/bundle.mjs defines ONA_BUILD_PACKAGE_VERSION): left to itself, yargs searches the
// directories above the script for a package.json on every run, a few milliseconds of file
// lookups before any command starts.

declare const ONA_BUILD_PACKAGE_VERSION: string | undefined;

export const VERSION =
  typeof ONA_BUILD_PACKAGE_VERSION === 'string' ? ONA_BUILD_PACKAGE_VERSION : 'unbundled';
