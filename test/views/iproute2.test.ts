import { describe, it, expect } from 'vitest';
import { ipCommand } from '../../src/cli/commands/ip-command.js';
import { labCluster } from '../fib/fixtures.js';
import type { Cluster } from '../../src/cluster/types.js';

const run = (cluster: Cluster, host: string, ...args: string[]) => ipCommand.run({ cluster, host, args, json: false });

describe('ip command', () => {
  const cluster = labCluster({ podRoutes: true });

  it('accepts iproute2 abbreviations and -c', () => {
    const full = run(cluster, 'k8s-ctr', 'route', 'show');
    expect(run(cluster, 'k8s-ctr', 'r').stdout).toBe(full.stdout);
    expect(run(cluster, 'k8s-ctr', '-c', 'ro', 's').stdout).toBe(full.stdout);
    expect(run(cluster, 'k8s-ctr', 'r', 'g', '172.20.1.76').stdout).toContain('via 192.168.10.200 dev eth1');
  });

  it('ip -j route prints one line of JSON; -o json does the same', () => {
    const j = run(cluster, 'router', '-j', 'route');
    expect(j.stdout.trim().split('\n')).toHaveLength(1);
    const parsed = JSON.parse(j.stdout) as { dst: string }[];
    expect(parsed.map((o) => o.dst)).toEqual([
      'default',
      '10.0.2.0/24',
      '10.10.1.0/24',
      '10.10.2.0/24',
      '192.168.10.0/24',
      '192.168.20.0/24',
    ]);
    expect(ipCommand.run({ cluster, host: 'router', args: ['route'], json: true }).stdout).toBe(j.stdout);
  });

  it('selectors: exact prefix, root, match, dev, proto, table local', () => {
    expect(run(cluster, 'k8s-ctr', 'route', 'show', '172.20.0.0/16').stdout.trimEnd()).toBe('172.20.0.0/16 via 192.168.10.200 dev eth1');
    expect(run(cluster, 'k8s-ctr', 'route', 'show', 'root', '172.20.0.0/16').stdout.split('\n').filter(Boolean)).toHaveLength(3);
    expect(run(cluster, 'k8s-ctr', 'route', 'show', 'match', '172.20.0.5').stdout.split('\n').filter(Boolean)).toHaveLength(3);
    expect(run(cluster, 'k8s-ctr', 'route', 'show', 'dev', 'eth0').stdout.split('\n').filter(Boolean)).toHaveLength(2);
    expect(run(cluster, 'k8s-ctr', 'route', 'show', 'proto', 'kernel').stdout.split('\n').filter(Boolean)).toHaveLength(4);
    const local = run(cluster, 'k8s-ctr', 'route', 'show', 'table', 'local').stdout;
    expect(local).toContain('local 192.168.10.100 dev eth1 proto kernel scope host src 192.168.10.100 \n');
    expect(local).not.toContain('table local');
    expect(run(cluster, 'k8s-ctr', 'route', 'show', 'table', 'all').stdout).toContain(
      'local 192.168.10.100 dev eth1 table local proto kernel scope host src 192.168.10.100 \n',
    );
    expect(run(cluster, 'k8s-ctr', 'route', 'show', 'dev', 'eth9').stderr).toBe('Cannot find device "eth9"\n');
  });

  it('route get: ipproto/sport/dport accepted, fibmatch prints the route, errors exit 2', () => {
    const r = run(cluster, 'router', 'route', 'get', '192.168.20.100', 'ipproto', 'tcp', 'sport', '40000', 'dport', '80');
    expect(r.stdout).toBe('192.168.20.100 dev eth2 src 192.168.20.200 uid 0 \n    cache \n');
    expect(run(cluster, 'k8s-ctr', 'route', 'get', '172.20.1.76', 'fibmatch').stdout).toBe(
      '172.20.0.0/16 via 192.168.10.200 dev eth1 \n',
    );
    expect(run(cluster, 'router', 'route', 'get', '10.0.0.1', 'from', '9.9.9.9')).toEqual({
      stdout: '',
      stderr: 'RTNETLINK answers: Invalid argument\n',
      exitCode: 2,
    });
    expect(run(cluster, 'router', 'route', 'get').exitCode).toBe(2);
    expect(JSON.parse(run(cluster, 'k8s-ctr', '-j', 'route', 'get', '172.20.1.76').stdout)).toEqual([
      { dst: '172.20.1.76', gateway: '192.168.10.200', dev: 'eth1', prefsrc: '192.168.10.100', flags: [], uid: 0, cache: [] },
    ]);
  });

  it('ip -br addr lists devices, cilium_host with its /32', () => {
    expect(run(cluster, 'k8s-ctr', '-br', 'addr').stdout).toBe(
      [
        'lo               UNKNOWN        127.0.0.1/8 ',
        'eth0             UP             10.0.2.15/24 ',
        'eth1             UP             192.168.10.100/24 ',
        'cilium_net@cilium_host UP             ',
        'cilium_host@cilium_net UP             172.20.0.1/32 ',
        '',
      ].join('\n'),
    );
  });

  it('refuses to change tables and unknown objects', () => {
    expect(run(cluster, 'k8s-ctr', 'route', 'add', '1.2.3.0/24', 'dev', 'eth0').exitCode).toBe(2);
    expect(run(cluster, 'k8s-ctr', 'link').exitCode).toBe(2);
    expect(run(cluster, 'nope', 'route').exitCode).toBe(2);
  });
});
