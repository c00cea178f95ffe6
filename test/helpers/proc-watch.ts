// Watches every process on the machine while a command runs and records any whose argv or
// environment contains a needle. Polls /proc, so very short-lived processes can slip between
// two polls; the docker client and buildx plugin live for the whole build and are always seen.

import fs from 'node:fs';

export interface ProcHit {
  readonly pid: string;
  readonly where: 'cmdline' | 'environ';
  readonly command: string;
}

export class ProcWatch {
  readonly hits: ProcHit[] = [];
  readonly seen = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly needles: readonly Buffer[]) {}

  start(intervalMs = 25): this {
    this.poll();
    this.timer = setInterval(() => this.poll(), intervalMs);
    return this;
  }

  stop(): ProcHit[] {
    if (this.timer) clearInterval(this.timer);
    this.poll();
    return this.hits;
  }

  private poll(): void {
    for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      if (pid === String(process.pid)) continue;
      for (const where of ['cmdline', 'environ'] as const) {
        const data = read(`/proc/${pid}/${where}`);
        if (where === 'cmdline') this.seen.add(data.toString('utf8').split('\0').join(' '));
        if (this.needles.some((needle) => data.includes(needle))) {
          this.hits.push({ pid, where, command: read(`/proc/${pid}/comm`).toString().trim() });
        }
      }
    }
  }
}

function read(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}
