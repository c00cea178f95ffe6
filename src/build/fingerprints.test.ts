import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Scope, Secret } from '../secrets/model.js';
import { changedIds, openFingerprintStore } from './fingerprints.js';

const scope: Scope = { kind: 'project', org: 'acme', owner: 'web' };
const secret = (name: string, value: string): Secret => ({
  name,
  type: 'env',
  scope,
  value: Buffer.from(value),
});

describe('fingerprints', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-fp-'));
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports ids whose value changed, appeared or disappeared', () => {
    const store = openFingerprintStore(dir, ['acme', 'web', '/src/Dockerfile']);
    const before = store.compute([secret('A', 'one-value'), secret('B', 'two-value')]);
    const after = store.compute([
      secret('A', 'one-value'),
      secret('B', 'rotated'),
      secret('C', 'x'),
    ]);

    expect(changedIds(before, after)).toEqual(['B', 'C']);
    expect(changedIds(after, store.compute([secret('A', 'one-value')]))).toEqual(['B', 'C']);
  });

  it('saves and loads per project and Dockerfile', () => {
    const web = openFingerprintStore(dir, ['acme', 'web', '/src/Dockerfile']);
    const api = openFingerprintStore(dir, ['acme', 'api', '/src/Dockerfile']);

    web.save(web.compute([secret('A', 'one-value')]));

    expect(web.load()).toEqual(web.compute([secret('A', 'one-value')]));
    expect(api.load()).toBeUndefined();
  });

  it('uses a keyed HMAC, never a bare hash, and never stores the value', () => {
    const store = openFingerprintStore(dir, ['acme', 'web', 'Dockerfile']);
    const value = 'canary-fingerprint-value';
    store.save(store.compute([secret('A', value)]));

    const files = fs.readdirSync(path.join(dir, 'fingerprints'));
    const saved = fs.readFileSync(path.join(dir, 'fingerprints', files[0]), 'utf8');
    expect(saved).not.toContain(value);
    expect(fs.statSync(path.join(dir, 'fingerprint.key')).mode & 0o777).toBe(0o600);

    const otherInstall = fs.mkdtempSync(path.join(os.tmpdir(), 'ona-fp-'));
    try {
      const other = openFingerprintStore(otherInstall, ['acme', 'web', 'Dockerfile']);
      expect(other.compute([secret('A', value)])).not.toEqual(store.compute([secret('A', value)]));
    } finally {
      fs.rmSync(otherInstall, { recursive: true, force: true });
    }
  });
});
