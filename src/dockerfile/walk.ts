// Walks the instructions in file order, keeping the variables each stage can see, and reports
// secret mounts and the images the build pulls. Every stage is analysed, although BuildKit only
// builds (and pulls for) the target, its bases and the stages those reach through `COPY --from`
// and `RUN --mount from=`: those links go into the stage graph, and each secret mount carries its
// stage, so the caller can keep the mounts of the stages a build runs.

import { Arg, Env, type Instruction } from 'dockerfile-ast';

import { expandWord, isKnown, UNKNOWN } from './expand.js';
import { parseFlag, type SplitInstruction } from './lines.js';
import { parseMount, toSecretMount, type ParsedMount } from './mounts.js';
import { addImage, classifyBase, classifyFrom, type StageNames } from './refs.js';
import type { AnalysisReport } from './report.js';
import {
  createChildScope,
  createGlobalScope,
  createImageStageScope,
  declareArg,
  declareEnv,
  type ScopeContext,
  type VarScope,
} from './scope.js';
import type { StageGraph } from './stage-graph.js';

export interface ParsedInstruction {
  readonly instruction: Instruction;
  /** 1-based line where the instruction starts. */
  readonly line: number;
  readonly split: SplitInstruction;
}

export interface WalkContext extends ScopeContext {
  readonly stageNames: StageNames;
  readonly report: AnalysisReport;
  readonly graph: StageGraph;
}

interface Stage {
  readonly label: string;
  readonly scope: VarScope;
}

interface WalkState {
  readonly global: VarScope;
  readonly stages: Stage[];
}

export function walkInstructions(
  instructions: readonly ParsedInstruction[],
  context: WalkContext,
): void {
  const state: WalkState = { global: createGlobalScope(context), stages: [] };
  for (const parsed of instructions) visit(parsed, state, context);
}

function visit(parsed: ParsedInstruction, state: WalkState, context: WalkContext): void {
  const { instruction, split, line } = parsed;
  const stage = state.stages.at(-1);

  if (split.keyword === 'from') {
    state.stages.push(enterStage(split, line, state, context));
  } else if (instruction instanceof Arg) {
    declareArgs(instruction, stage?.scope ?? state.global, stage && state.global, context);
  } else if (stage && instruction instanceof Env) {
    const pairs = instruction.getProperties().map((property) => ({
      name: property.getName(),
      rawValue: property.getUnescapedValue() ?? '',
    }));
    declareEnv(stage.scope, pairs, context.escape);
  } else if (stage && split.keyword === 'run') {
    readMounts(split, line, stage, context);
  } else if (stage && split.keyword === 'copy') {
    readCopyFrom(split, line, context);
  }
}

function declareArgs(
  instruction: Arg,
  scope: VarScope,
  global: VarScope | undefined,
  context: ScopeContext,
): void {
  for (const property of instruction.getProperties()) {
    const declaration = { name: property.getName(), rawDefault: property.getUnescapedValue() };
    declareArg(scope, { ...declaration, ...(global && { global }) }, context);
  }
}

function enterStage(
  split: SplitInstruction,
  line: number,
  state: WalkState,
  context: WalkContext,
): Stage {
  const index = state.stages.length;
  const label = context.stageNames[index] ?? String(index);
  context.graph.addStage();
  const words = split.rest.split(/[\t\v\f\r ]+/).filter((word) => word !== '');
  const hasName = words.length === 3 && words[1]?.toLowerCase() === 'as';
  const raw = words[0];
  if (raw === undefined || (words.length !== 1 && !hasName)) {
    context.report.warn(line, 'FROM requires either one or three arguments: the build fails');
    return { label, scope: createImageStageScope() };
  }

  const image = { raw, ...expandWord(raw, state.global.lookup, context.escape) };
  return { label, scope: baseScope(image, line, state, context) };
}

function baseScope(
  image: { raw: string; text: string; problems: string[] },
  line: number,
  state: WalkState,
  context: WalkContext,
): VarScope {
  if (image.text === '') {
    context.report.warn(line, `base name (${image.raw}) should not be blank: the build fails`);
    return createImageStageScope();
  }

  // A base only known at build time is pulled as an image, but it might name a stage.
  if (!isKnown(image.text)) context.graph.markIncomplete();
  const source = isKnown(image.text)
    ? classifyBase(image.text, context.stageNames, state.stages.length)
    : ({ kind: 'image' } as const);
  if (source.kind === 'scratch') return createChildScope();
  if (source.kind === 'stage') {
    context.graph.dependOn(source.index);
    return createChildScope(state.stages[source.index]?.scope);
  }

  addImage(context.report, image, { line, via: 'from' });
  return createImageStageScope();
}

function readMounts(split: SplitInstruction, line: number, stage: Stage, context: WalkContext) {
  for (const flag of split.flags.map(parseFlag)) {
    if (flag.name !== 'mount') continue;
    if (flag.value === undefined) {
      context.report.warn(line, 'RUN --mount is missing a value: the build fails');
      continue;
    }

    const mount = parseMount(flag.value, stage.scope.lookup, context.escape);
    if (typeof mount === 'string') {
      context.report.warn(line, `RUN --mount: ${mount}: the build fails`);
      continue;
    }
    readMount(mount, line, stage, context);
  }
}

function readMount(mount: ParsedMount, line: number, stage: Stage, context: WalkContext) {
  const { report } = context;
  if (mount.type === 'secret') return readSecretMount(mount, line, stage, report);

  for (const error of mount.errors) report.warn(line, `RUN --mount: ${error}: the build fails`);
  if (mount.type === UNKNOWN) {
    report.warn(line, 'cannot resolve the type of a RUN --mount: it may be a secret mount');
    report.markSecretMountsUnknown();
  }

  const from = mount.fields.get('from')?.raw;
  if (from === undefined || from === '') return;
  if (/\$./.test(from)) context.graph.markIncomplete();
  else readMountFrom(from, line, context);
}

function readSecretMount(mount: ParsedMount, line: number, stage: Stage, report: AnalysisReport) {
  const secret = toSecretMount(mount);
  for (const error of secret.errors) report.warn(line, `RUN --mount: ${error}: the build fails`);

  if (secret.id === undefined) {
    if (secret.problems.length === 0) return;
    report.warn(line, `cannot resolve a secret mount's id: ${secret.problems.join('; ')}`);
    report.markSecretMountsUnknown();
    return;
  }

  report.addSecretMount({
    id: secret.id,
    explicitId: secret.explicitId,
    required: mount.required,
    ...(secret.target !== undefined && { target: secret.target }),
    ...(secret.env !== undefined && { env: secret.env }),
    line,
    stage: stage.label,
  });
}

// BuildKit looks a mount's `from` up by stage name only, so a number is pulled as an image.
function readMountFrom(from: string, line: number, context: WalkContext): void {
  const source = classifyFrom(from, context.stageNames, false);
  if (source.kind === 'stage') {
    context.graph.dependOn(source.index);
    return;
  }
  if (/^\d+$/.test(from)) {
    context.report.warn(line, `RUN --mount from=${from} is not a stage index: it names an image`);
  }
  addImage(context.report, { text: from, raw: from, problems: [] }, { line, via: 'mount-from' });
}

function readCopyFrom(split: SplitInstruction, line: number, context: WalkContext): void {
  const from = split.flags.map(parseFlag).find((flag) => flag.name === 'from')?.value;
  if (from === undefined || from === '') return;
  if (/\$./.test(from)) {
    context.report.warn(line, 'COPY --from does not take variables: the build fails');
    return;
  }

  const source = classifyFrom(from, context.stageNames, true);
  const outOfRange = (index: number) => index < 0 || index >= context.stageNames.length;
  if (source.kind === 'stage' && outOfRange(source.index)) {
    context.report.warn(line, `invalid stage index ${from} in COPY --from: the build fails`);
  } else if (source.kind === 'stage') {
    context.graph.dependOn(source.index);
  }
  if (source.kind !== 'image') return;
  addImage(context.report, { text: from, raw: from, problems: [] }, { line, via: 'copy-from' });
}
