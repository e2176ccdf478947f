import { describe, it, expect } from 'vitest';
import { loadLab } from '../../helpers/lab.js';
import { ciliumBgpPeersCommand, ciliumBgpRoutesCommand, ciliumDbgBgpPeersCommand, ciliumDbgBgpRoutePoliciesCommand } from '../../../src/cli/commands/cilium-bgp.js';
import { kubectlGetBgpNodeConfigsCommand } from '../../../src/cli/commands/kubectl-get-bgp.js';
import type { Command } from '../../../src/cli/command.js';

const trim = (s: string): string =>
  s
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');

function run(cmd: Command, variants: string[], args: string[] = [], host?: string, json = false) {
  return cmd.run({ cluster: loadLab(variants), args, json, ...(host !== undefined ? { host } : {}) });
}

describe('Cilium BGP commands on the bgp-lab', () => {
  it('cilium bgp peers: sessions established with the router (session stage)', () => {
    const r = run(ciliumBgpPeersCommand, ['webpod-3.yaml', 'lb.yaml']);
    expect(r.exitCode).toBe(0);
    const lines = trim(r.stdout).split('\n');
    expect(lines[0]).toBe('Node      Local AS   Peer AS   Peer Address     Session State   Uptime   Family         Received   Advertised');
    expect(lines.slice(1, 4).map((l) => l.split(/\s+/).slice(0, 5).join(' '))).toEqual([
      'k8s-ctr 65001 65000 192.168.10.200 established',
      'k8s-w0 65001 65000 192.168.10.200 established',
      'k8s-w1 65001 65000 192.168.10.200 established',
    ]);
  });

  it('cilium bgp routes: the defaulting note, then the table', () => {
    const r = run(ciliumBgpRoutesCommand, ['webpod-3.yaml', 'lb.yaml']);
    expect(r.stdout.startsWith('(Defaulting to `available ipv4 unicast` routes, please see help for more options)\n\nNode      VRouter   Prefix')).toBe(true);
    const adv = run(ciliumBgpRoutesCommand, ['webpod-3.yaml'], ['advertised', 'ipv4', 'unicast', 'peer', '192.168.10.200']);
    expect(trim(adv.stdout).split('\n')).toHaveLength(5);
    expect(run(ciliumBgpRoutesCommand, [], ['bogus']).exitCode).toBe(2);
    expect(JSON.parse(run(ciliumBgpRoutesCommand, [], ['-o', 'json']).stdout)['k8s-w1'][0].prefix).toBe('172.20.1.0/24');
  });

  it('cilium-dbg bgp peers and route-policies inside a node; not on the router', () => {
    const p = run(ciliumDbgBgpPeersCommand, ['webpod-3.yaml'], [], 'k8s-w1');
    expect(p.stdout).toContain('192.168.10.200:179');
    const rp = run(ciliumDbgBgpRoutePoliciesCommand, ['webpod-3.yaml', 'lb.yaml'], [], 'k8s-w1');
    expect(trim(rp.stdout).split('\n')).toHaveLength(5);
    expect(run(ciliumDbgBgpRoutePoliciesCommand, [], [], 'router').exitCode).toBe(127);
    expect(JSON.parse(run(ciliumDbgBgpRoutePoliciesCommand, [], ['-o', 'json'], 'k8s-ctr').stdout)[0].name).toBe('allow-local');
  });

  it('kubectl get ciliumbgpnodeconfigs', () => {
    expect(run(kubectlGetBgpNodeConfigsCommand, []).stdout).toBe('NAME      AGE\nk8s-ctr   <unknown>\nk8s-w0    <unknown>\nk8s-w1    <unknown>\n');
    const y = run(kubectlGetBgpNodeConfigsCommand, [], ['-o', 'yaml']);
    expect(y.stdout).toContain('peeringState: established');
    expect(run(kubectlGetBgpNodeConfigsCommand, [], ['nope']).exitCode).toBe(1);
    expect(JSON.parse(run(kubectlGetBgpNodeConfigsCommand, [], ['k8s-w0', '-o', 'json']).stdout).metadata.name).toBe('k8s-w0');
  });
});
