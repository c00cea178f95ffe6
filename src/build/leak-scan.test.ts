import { describe, expect, it } from 'vitest';

import { UsageError } from '../errors.js';
import { exportsToStdout, pushesResult, refuseScanAfterPush } from './leak-scan.js';

describe('pushesResult', () => {
  it.each([
    [['--push', '.']],
    [['--push=true', '.']],
    [['-o', 'type=registry', '.']],
    [['--output=type=image,name=r/x,push=true', '.']],
    [['-o', 'type=image,name=r/x,push=1', '.']],
    [['-o', 'type=image,push=TRUE,name=r/x', '.']],
    [['--push=1', '.']],
  ])('sees a push in %j', (args) => {
    expect(pushesResult(args)).toBe(true);
  });

  it.each([
    [['--load', '.']],
    [['--push=false', '.']],
    [['--output', 'type=image,push=false', '.']],
    [['--output', 'type=image,push=0', '.']],
    [['--push=f', '.']],
    [['-o', 'type=docker,dest=out.tar', '.']],
    [['.', '--', '--push']],
  ])('sees no push in %j', (args) => {
    expect(pushesResult(args)).toBe(false);
  });
});

describe('refuseScanAfterPush', () => {
  it('refuses --scan-leaks=fail with a push: the scan would come too late to stop it', () => {
    expect(() => refuseScanAfterPush(['--push', '.'], 'fail')).toThrow(UsageError);
    expect(() => refuseScanAfterPush(['--push', '.'], 'fail')).toThrow(/--load/);
  });

  it('lets warn mode, and fail mode without a push, through', () => {
    expect(() => refuseScanAfterPush(['--push', '.'], 'warn')).not.toThrow();
    expect(() => refuseScanAfterPush(['--load', '.'], 'fail')).not.toThrow();
  });
});

describe('exportsToStdout', () => {
  it.each<[string[], boolean]>([
    [['-o', '-', '.'], true],
    [['--output=-', '.'], true],
    [['--output', 'type=tar,dest=-', '.'], true],
    [['-o', 'type=oci,dest=-', '.'], true],
    [['-o', 'type=tar,dest=out.tar', '.'], false],
    [['-o', 'type=local,dest=out', '.'], false],
    [['--load', '.'], false],
  ])('%j: %s', (args, expected) => {
    expect(exportsToStdout(args)).toBe(expected);
  });
});
