// Which stages a build runs. BuildKit solves only the target (`--target`, else the last stage)
// and what it depends on: its base stage, and the stages it reaches through `COPY --from` and
// `RUN --mount from=`. A stage nothing reaches is never run, so its secret mounts are never read:
// a missing secret there is no reason to stop the build.

export class StageGraph {
  readonly #dependencies: Set<number>[] = [];
  #complete = true;

  /** Starts the next stage, in file order. */
  addStage(): void {
    this.#dependencies.push(new Set());
  }

  /** The current stage uses stage `index`. */
  dependOn(index: number): void {
    this.#dependencies.at(-1)?.add(index);
  }

  /** A reference only known at build time might name any stage. */
  markIncomplete(): void {
    this.#complete = false;
  }

  /**
   * The indices of the stages a build of `target` runs, or undefined when that cannot be known
   * before the build (every stage may run).
   */
  stagesRun(target: number | undefined): Set<number> | undefined {
    const last = this.#dependencies.length - 1;
    const start = target ?? last;
    if (!this.#complete || start < 0 || start > last) return undefined;

    const run = new Set<number>();
    const pending = [start];
    for (let index = pending.pop(); index !== undefined; index = pending.pop()) {
      if (run.has(index)) continue;
      run.add(index);
      pending.push(...(this.#dependencies[index] ?? []));
    }
    return run;
  }
}
