import { describe, expect, it } from 'vitest';
import { parseKubectlGetArgs } from '../../src/cli/kubectl-args.js';

describe('kubectl get arguments', () => {
  it('reads names, namespaces and -A in every spelling kubectl accepts', () => {
    expect(parseKubectlGetArgs(['a', '-n', 'x', 'b'])).toEqual({ namespace: 'x', allNamespaces: false, names: ['a', 'b'] });
    expect(parseKubectlGetArgs(['--namespace=y'])).toEqual({ namespace: 'y', allNamespaces: false, names: [] });
    expect(parseKubectlGetArgs(['-nz'])).toEqual({ namespace: 'z', allNamespaces: false, names: [] });
    expect(parseKubectlGetArgs(['--all-namespaces'])).toMatchObject({ allNamespaces: true });
    expect(parseKubectlGetArgs([], { namespace: 'kube-system' })).toMatchObject({ namespace: 'kube-system' });
  });
  it('gives kubectl’s messages for a missing value and an unknown flag', () => {
    expect(parseKubectlGetArgs(['-n'])).toBe("error: flag needs an argument: 'n' in -n");
    expect(parseKubectlGetArgs(['--namespace'])).toBe("error: flag needs an argument: 'namespace' in --namespace");
    expect(parseKubectlGetArgs(['--bogus'])).toBe('error: unknown flag: --bogus');
  });
  it('reads -o only when asked to', () => {
    expect(parseKubectlGetArgs(['-o', 'wide'])).toBe('error: unknown flag: -o');
    for (const form of [['-o', 'json'], ['-ojson'], ['-o=json'], ['--output', 'json'], ['--output=json']]) {
      expect(parseKubectlGetArgs(form, { output: true })).toMatchObject({ output: 'json' });
    }
    expect(parseKubectlGetArgs(['-o'], { output: true })).toBe("error: flag needs an argument: 'o' in -o");
  });
});
