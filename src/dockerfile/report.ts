// Collects what the analysis finds, so each step only says what it saw.

import type {
  DockerfileAnalysis,
  DockerfileWarning,
  RegistryRef,
  SecretMountRef,
} from './types.js';

export class AnalysisReport {
  private readonly secretMounts: SecretMountRef[] = [];
  private readonly registries = new Map<string, RegistryRef>();
  private readonly warnings: DockerfileWarning[] = [];
  private registriesKnown = true;
  private secretMountsKnown = true;
  private syntax: DockerfileAnalysis['syntax'];
  private missingTarget: DockerfileAnalysis['missingTarget'];

  warn(line: number, message: string): void {
    this.warnings.push({ line, message });
  }

  addWarnings(warnings: readonly DockerfileWarning[]): void {
    this.warnings.push(...warnings);
  }

  addSecretMount(mount: SecretMountRef): void {
    this.secretMounts.push(mount);
  }

  keepSecretMounts(keep: (mount: SecretMountRef) => boolean): void {
    const kept = this.secretMounts.filter(keep);
    this.secretMounts.splice(0, this.secretMounts.length, ...kept);
  }

  /** The first reference of a host and image wins; later ones add nothing. */
  addRegistry(registry: RegistryRef): void {
    const key = `${registry.host}\n${registry.image}`;
    if (!this.registries.has(key)) this.registries.set(key, registry);
  }

  setMissingTarget(target: string, stages: readonly string[]): void {
    this.missingTarget = { target, stages };
  }

  setSyntax(image: string, line: number): void {
    this.syntax = { image, line };
  }

  markRegistriesUnknown(): void {
    this.registriesKnown = false;
  }

  markSecretMountsUnknown(): void {
    this.secretMountsKnown = false;
  }

  result(): DockerfileAnalysis {
    return {
      secretMounts: [...this.secretMounts],
      registries: [...this.registries.values()],
      registriesKnown: this.registriesKnown,
      secretMountsKnown: this.secretMountsKnown,
      ...(this.syntax && { syntax: this.syntax }),
      ...(this.missingTarget && { missingTarget: this.missingTarget }),
      warnings: [...this.warnings].sort((a, b) => a.line - b.line),
    };
  }
}
