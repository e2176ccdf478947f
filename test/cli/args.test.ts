import { describe, it, expect } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { parseArgs } from '../../src/cli/args.js';

const right = (argv: string[]) => {
  const r = parseArgs(argv);
  if (E.isLeft(r)) throw new Error(r.left);
  return r.right;
};
const left = (argv: string[]) => {
  const r = parseArgs(argv);
  if (E.isRight(r)) throw new Error('expected a usage error');
  return r.left;
};

describe('parseArgs', () => {
  it('reads files, settings and the command words', () => {
    expect(right(['-f', 'lab/', '-f', 'v.yaml', '--set', 'a=1', '--set=b=2', 'validate'])).toEqual({
      files: ['lab/', 'v.yaml'], set: { a: '1', b: '2' }, json: false, help: false, version: false, words: ['validate'],
    });
  });

  it('accepts -fPATH, --filename=PATH and Helm-style comma lists', () => {
    const a = right(['-flab', '--filename=x.yaml', '--set', 'loadBalancer.mode=dsr,loadBalancer.algorithm=maglev', 'validate']);
    expect(a.files).toEqual(['lab', 'x.yaml']);
    expect(a.set).toEqual({ 'loadBalancer.mode': 'dsr', 'loadBalancer.algorithm': 'maglev' });
  });

  it('keeps a comma inside a value when no key follows it', () => {
    expect(right(['--set', 'devices=eth0,eth1', 'validate']).set).toEqual({ devices: 'eth0,eth1' });
  });

  it('stops at the first word: later options belong to the command', () => {
    expect(right(['-o', 'json', 'kubectl', 'get', 'svc', '-o', 'wide'])).toMatchObject({ json: true, words: ['kubectl', 'get', 'svc', '-o', 'wide'] });
  });

  it('reads exec HOST -- TOOL ARGS, with or without --', () => {
    expect(right(['exec', 'k8s-ctr', '--', 'cilium-dbg', 'bpf', 'lb', 'list'])).toMatchObject({ host: 'k8s-ctr', words: ['cilium-dbg', 'bpf', 'lb', 'list'] });
    expect(right(['exec', 'router', 'ip', 'route'])).toMatchObject({ host: 'router', words: ['ip', 'route'] });
  });

  it('reads --help, -h and --version', () => {
    expect(right(['--help'])).toMatchObject({ help: true, words: [] });
    expect(right(['-h', 'validate'])).toMatchObject({ help: true, words: ['validate'] });
    expect(right(['--version'])).toMatchObject({ version: true });
  });

  it('reports usage errors', () => {
    expect(left(['-f'])).toBe('-f needs a value');
    expect(left(['--set', 'novalue', 'validate'])).toBe('--set novalue: expected KEY=VALUE');
    expect(left(['-o', 'yaml', 'validate'])).toMatch(/only global output format is json/);
    expect(left(['--bogus'])).toBe('unknown option --bogus');
    expect(left(['exec'])).toMatch(/exec needs a host/);
    expect(left(['exec', 'router', '--'])).toMatch(/which tool/);
  });

  it('takes - as standard input', () => {
    expect(right(['-f', '-', 'validate']).files).toEqual(['-']);
  });
});
