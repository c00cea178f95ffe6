// Module hooks that let a plain `node` child process import the TypeScript sources, so tests can
// run the real store in several processes at once. Node 20 cannot strip types by itself.
// Registered by register-ts.js; used only by tests.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

const COMPILER_OPTIONS = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  verbatimModuleSyntax: true,
};

/** Source files import `./x.js`; when only `./x.ts` exists, load that instead. */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const fromTs = context.parentURL?.endsWith('.ts') && specifier.endsWith('.js');
    if (!fromTs || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
  }
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.ts')) return nextLoad(url, context);

  const source = await readFile(new URL(url), 'utf8');
  const output = ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: COMPILER_OPTIONS,
  });
  return { format: 'module', source: output.outputText, shortCircuit: true };
}
