import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { engineOptions } from './engine-endpoint.js';

let config: string;

beforeEach(() => {
  config = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-contexts-'));
});

afterEach(() => fs.rmSync(config, { recursive: true, force: true }));

/** A context as `docker context create NAME --docker host=HOST` stores it. */
function createContext(name: string, host: string, tls: Record<string, string> = {}): void {
  const id = createHash('sha256').update(name).digest('hex');
  const meta = path.join(config, 'contexts', 'meta', id);
  fs.mkdirSync(meta, { recursive: true });
  const endpoints = { docker: { Host: host, SkipTLSVerify: false } };
  fs.writeFileSync(
    path.join(meta, 'meta.json'),
    JSON.stringify({ Name: name, Endpoints: endpoints }),
  );

  const tlsDir = path.join(config, 'contexts', 'tls', id, 'docker');
  if (Object.keys(tls).length > 0) fs.mkdirSync(tlsDir, { recursive: true });
  for (const [file, text] of Object.entries(tls)) fs.writeFileSync(path.join(tlsDir, file), text);
}

const useContext = (name: string) =>
  fs.writeFileSync(path.join(config, 'config.json'), JSON.stringify({ currentContext: name }));

describe('engineOptions', () => {
  it("leaves dockerode's default when there is no context, or the default one", () => {
    expect(engineOptions({ DOCKER_CONFIG: config })).toBeUndefined();

    useContext('default');
    expect(engineOptions({ DOCKER_CONFIG: config })).toBeUndefined();
  });

  it('leaves DOCKER_HOST to dockerode, over any context, as the docker CLI does', () => {
    createContext('remote', 'unix:///run/remote.sock');
    useContext('remote');

    expect(engineOptions({ DOCKER_CONFIG: config, DOCKER_HOST: 'tcp://x:2375' })).toBeUndefined();
  });

  it("reads the current context's socket from config.json, or DOCKER_CONTEXT's first", () => {
    createContext('current', 'unix:///run/current.sock');
    createContext('chosen', 'unix:///run/chosen.sock');
    useContext('current');

    expect(engineOptions({ DOCKER_CONFIG: config })).toEqual({
      socketPath: '/run/current.sock',
    });
    expect(engineOptions({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'chosen' })).toEqual({
      socketPath: '/run/chosen.sock',
    });
  });

  it('reaches a tcp endpoint, with the TLS files stored with the context', () => {
    createContext('plain', 'tcp://10.0.0.5:2375');
    createContext('secure', 'tcp://engine.example:2376', { 'ca.pem': 'CA', 'cert.pem': 'C' });

    expect(engineOptions({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'plain' })).toEqual({
      host: '10.0.0.5',
      port: '2375',
      protocol: 'http',
    });
    expect(engineOptions({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'secure' })).toEqual({
      host: 'engine.example',
      port: '2376',
      protocol: 'https',
      ca: Buffer.from('CA'),
      cert: Buffer.from('C'),
      key: undefined,
    });
  });

  it('reaches an ssh endpoint as its user', () => {
    createContext('ssh', 'ssh://builder@engine.example');

    expect(engineOptions({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'ssh' })).toEqual({
      protocol: 'ssh',
      host: 'engine.example',
      port: 22,
      username: 'builder',
    });
  });

  it('names a context that does not exist, rather than using another engine', () => {
    expect(() => engineOptions({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'gone' })).toThrow(
      /the docker context gone is not in .*contexts: choose another/,
    );
  });
});
