// `ona-build plan`: the build plan and the Dockerfile analysis for people. Ids, scopes, lines,
// hosts and paths; never a value.

import { alignColumns } from '../columns.js';
import { describeScope } from '../secrets/validate.js';
import type { BuildPlan } from './plan.js';
import type { Preflight } from './preflight.js';

export function formatPlanText(plan: BuildPlan, checked: Preflight): string {
  const lines: string[] = [];
  const mounts = checked.analysis?.secretMounts ?? [];

  lines.push(`Dockerfile: ${checked.dockerfile ?? '(not local: not analysed)'}`);
  lines.push(`Builder:    ${plan.builder.kind} (${plan.builder.docker})`);

  lines.push('', `Secrets the build receives (${plan.secrets.length}):`);
  const secretRows = plan.secrets.map((secret) => {
    const uses = mounts.filter((m) => m.id === secret.id).map((m) => `line ${m.line}`);
    const used = uses.length > 0 ? `mounted at ${uses.join(', ')}` : 'not mounted';
    return [secret.id, secret.type, describeScope(secret.scope), used];
  });
  const missingRows = (checked.check?.missingOptional ?? []).map((missing) => [
    missing.id,
    'MISSING',
    '(optional)',
    `line ${missing.line}`,
  ]);
  lines.push(...indented([...secretRows, ...missingRows]));

  lines.push('', 'Registry credentials:');
  const registryRows = plan.registries.map((registry) => {
    const refs = (checked.analysis?.registries ?? []).filter((r) => r.host === registry.host);
    const by = refs.map((r) => `${r.via} line ${r.line}`).join(', ') || 'not referenced';
    return [registry.host, `${registry.username} (${describeScope(registry.scope)})`, by];
  });
  lines.push(...indented(registryRows));
  if (plan.registries.length === 0) lines.push('  (none)');

  const warnings = checked.analysis?.warnings ?? [];
  if (warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of warnings) lines.push(`  ${w.line ? `line ${w.line}: ` : ''}${w.message}`);
  }

  lines.push('', `Command: ${plan.argv.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

function indented(rows: string[][]): string[] {
  return alignColumns(rows).map((row) => `  ${row}`);
}
