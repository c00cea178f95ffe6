// `ona-build plan`: the build plan and the Dockerfile analysis for people. Ids, scopes, lines,
// hosts and paths; never a value.

import { describeScope } from '../secrets/validate.js';
import type { BuildPlan } from './plan.js';
import type { Preflight } from './preflight.js';

export function formatPlanText(plan: BuildPlan, checked: Preflight): string {
  const lines: string[] = [];
  const mounts = checked.analysis?.secretMounts ?? [];

  lines.push(`Dockerfile: ${checked.dockerfile ?? '(not local: not analysed)'}`);
  lines.push(`Builder:    ${plan.builder.kind} (${plan.builder.docker})`);

  lines.push('', `Secrets the build receives (${plan.secrets.length}):`);
  for (const secret of plan.secrets) {
    const uses = mounts.filter((m) => m.id === secret.id).map((m) => `line ${m.line}`);
    const used = uses.length > 0 ? `mounted at ${uses.join(', ')}` : 'not mounted';
    lines.push(`  ${secret.id}  ${secret.type}  ${describeScope(secret.scope)}  ${used}`);
  }

  for (const missing of checked.check?.missingOptional ?? []) {
    lines.push(`  ${missing.id}  MISSING (optional)  line ${missing.line}`);
  }

  lines.push('', 'Registry credentials:');
  for (const registry of plan.registries) {
    const refs = (checked.analysis?.registries ?? []).filter((r) => r.host === registry.host);
    const by = refs.map((r) => `${r.via} line ${r.line}`).join(', ') || 'not referenced';
    lines.push(
      `  ${registry.host}  ${registry.username} (${describeScope(registry.scope)})  ${by}`,
    );
  }
  if (plan.registries.length === 0) lines.push('  (none)');

  const warnings = checked.analysis?.warnings ?? [];
  if (warnings.length > 0) {
    lines.push('', 'Warnings:');
    for (const w of warnings) lines.push(`  ${w.line ? `line ${w.line}: ` : ''}${w.message}`);
  }

  lines.push('', `Command: ${plan.argv.join(' ')}`);
  return `${lines.join('\n')}\n`;
}
