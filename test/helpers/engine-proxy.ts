// A byte-for-byte proxy in front of the real engine's socket. Builds pointed at it (DOCKER_HOST)
// talk to the real engine until `cut()`, which drops every connection at once: to the client,
// the engine has stopped mid-build. The real engine keeps serving everyone else.

import fs from 'node:fs';
import net from 'node:net';

export class EngineProxy {
  private readonly sockets = new Set<net.Socket>();
  private readonly server: net.Server;

  constructor(
    readonly path: string,
    private readonly target = '/var/run/docker.sock',
  ) {
    this.server = net.createServer((client) => this.connect(client));
  }

  get dockerHost(): string {
    return `unix://${this.path}`;
  }

  async listen(): Promise<this> {
    fs.rmSync(this.path, { force: true });
    await new Promise<void>((resolve) => this.server.listen(this.path, resolve));
    return this;
  }

  cut(): void {
    this.server.close();
    for (const socket of this.sockets) socket.destroy();
  }

  private connect(client: net.Socket): void {
    const engine = net.connect(this.target);
    for (const socket of [client, engine]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(engine).pipe(client);
    client.on('close', () => engine.destroy());
    engine.on('close', () => client.destroy());
  }
}
