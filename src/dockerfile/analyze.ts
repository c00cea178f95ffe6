// Pre-flight analysis of a Dockerfile: the secret ids its RUN steps mount and the registries the
// build pulls from (base images, `COPY --from` and `RUN --mount from=` images, the `# syntax=`
// frontend), with the variables resolved as far as they can be before the build. Pure: no I/O.
// dockerfile-ast splits the file into instructions (continuations, heredocs, comments, the
// escape directive); the rules BuildKit applies on top are in the sibling modules, each citing
// the upstream code it follows. The analysis assumes the standard Dockerfile frontend: a custom
// `# syntax=` frontend may read the file differently.

import { DockerfileParser, type Dockerfile } from 'dockerfile-ast';

import {
  detectSyntax,
  directiveWarnings,
  escapeToken,
  frontendImage,
  readParserDirectives,
} from './directives.js';
import { joinInstruction, splitInstruction, splitLines } from './lines.js';
import { sourceForParser } from './parser-source.js';
import { addImage, type StageNames } from './refs.js';
import { AnalysisReport } from './report.js';
import { StageGraph } from './stage-graph.js';
import type { AnalyzeOptions, DockerfileAnalysis } from './types.js';
import { walkInstructions, type ParsedInstruction } from './walk.js';

export function analyzeDockerfile(text: string, options: AnalyzeOptions = {}): DockerfileAnalysis {
  const lines = splitLines(text);
  const directives = readParserDirectives(lines).directives;
  const escape = escapeToken(directives);
  const dockerfile = DockerfileParser.parse(sourceForParser(lines, directives.length, escape));
  const buildArgs = options.buildArgs ?? {};
  const report = new AnalysisReport();

  readFrontend(dockerfile, lines, buildArgs, report);

  const instructions = dockerfile.getInstructions().map((instruction) => {
    const start = instruction.getRange().start.line;
    const split = splitInstruction(joinInstruction(lines, start, escape));
    return { instruction, line: start + 1, split };
  });
  const stageNames = collectStageNames(instructions);
  const graph = new StageGraph();
  walkInstructions(instructions, { escape, buildArgs, stageNames, report, graph });

  checkTarget(options.target, stageNames, report);
  keepStagesRun(report, graph, stageNames, options.target);
  return report.result();
}

// The frontend image is pulled before anything else, with the same registry credentials. The
// BUILDKIT_SYNTAX build argument, when given, replaces the directive.
function readFrontend(
  dockerfile: Dockerfile,
  lines: readonly string[],
  buildArgs: Readonly<Record<string, string>>,
  report: AnalysisReport,
): void {
  const honoured = detectSyntax(lines);
  const commentLines = [...dockerfile.getComments(), ...dockerfile.getDirectives()]
    .map((comment) => comment.getRange().start.line)
    .sort((a, b) => a - b);
  report.addWarnings(directiveWarnings(lines, commentLines, honoured));

  const override = frontendImage(buildArgs.BUILDKIT_SYNTAX ?? '');
  if (override !== '' && honoured) {
    report.warn(honoured.index + 1, 'the BUILDKIT_SYNTAX build argument replaces this directive');
  }
  if (override !== '') addFrontend(report, override, 0);
  else if (honoured) addFrontend(report, frontendImage(honoured.value), honoured.index + 1);
}

function addFrontend(report: AnalysisReport, image: string, line: number): void {
  report.setSyntax(image, line);
  addImage(report, { text: image, raw: image, problems: [] }, { line, via: 'syntax' });
}

// Stage names are lower-cased by BuildKit; `FROM image AS name` is the only form with a name.
function collectStageNames(instructions: readonly ParsedInstruction[]): StageNames {
  return instructions
    .filter(({ split }) => split.keyword === 'from')
    .map(({ split }) => {
      const words = split.rest.split(/[\t\v\f\r ]+/).filter((word) => word !== '');
      const named = words.length === 3 && words[1]?.toLowerCase() === 'as';
      return named ? words[2]?.toLowerCase() : undefined;
    });
}

// A stage the build never runs never reads its secret mounts: a secret missing there must not stop
// the build. When the stages run cannot be known before the build, every mount is kept.
function keepStagesRun(
  report: AnalysisReport,
  graph: StageGraph,
  names: StageNames,
  target: string | undefined,
): void {
  const index = target === undefined ? undefined : names.lastIndexOf(target.toLowerCase());
  if (index === -1) return;

  const run = graph.stagesRun(index);
  if (run === undefined) return;
  const labels = new Set([...run].map((stage) => names[stage] ?? String(stage)));
  report.keepSecretMounts((mount) => labels.has(mount.stage));
}

function checkTarget(target: string | undefined, names: StageNames, report: AnalysisReport) {
  if (target === undefined || names.includes(target.toLowerCase())) return;
  report.setMissingTarget(target, [...new Set(names.filter((name) => name !== undefined))]);
}
