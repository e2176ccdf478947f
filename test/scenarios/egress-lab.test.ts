/**
 * The egress-gateway lab (examples/egress-gateway) through the CLI, as its README shows it: two
 * gateway nodes tainted for egress, a remote outpost that admits one address, a selected and a
 * non-selected pod; then the HA policy over two zones with a gateway down.
 */
import { describe, it, expect } from 'vitest';
import type { CliEnv } from '../../src/cli/run.js';
import { runCli } from '../../src/cli/run.js';
import { commands } from '../../src/cli/commands/index.js';
import { readEmbeddedLab, readScenarioFiles } from '../../src/cli/files.js';

const env: CliEnv = {
  version: 'test',
  readFiles: (paths) => readScenarioFiles(paths),
  readDefault: () => readEmbeddedLab(),
  defaultName: 'bgp-lab',
};

const D = 'examples/egress-gateway';

/** Runs `cilium-twin -f lab -f variants/V… ARGS`. */
export function egressTwin(variants: readonly string[], ...args: string[]) {
  const files = [`${D}/lab`, ...variants.map((v) => `${D}/variants/${v}`)].flatMap((f) => ['-f', f]);
  return runCli([...files, ...args], env, commands);
}

const curl = (variants: readonly string[], pod: string) => egressTwin(variants, 'exec', pod, '--', 'curl', '-s', '--connect-timeout', '2', '172.18.0.50:8000');
const OSS = ['egress-policy.yaml'];

describe('egress-gateway lab: masquerading only (no policy)', () => {
  it('both pods reach the outpost with their node address and are denied', () => {
    for (const pod of ['tiefighter', 'xwing']) {
      const r = curl([], pod);
      expect(r.stdout).toBe("Access denied. Your source IP (172.18.0.3) doesn't match the allowed IPs.\n");
    }
  });
});

describe('egress-gateway lab: CiliumEgressGatewayPolicy', () => {
  it('the selected pod leaves with the egress IP and is admitted; the other with its node address', () => {
    expect(curl(OSS, 'tiefighter').stdout).toBe('Access granted. Your source IP (172.18.0.100) matches an allowed IP.\n');
    expect(curl(OSS, 'xwing').stdout).toBe("Access denied. Your source IP (172.18.0.3) doesn't match the allowed IPs.\n");
    expect(curl(OSS, 'tiefighter-west').stdout).toBe('Access granted. Your source IP (172.18.0.100) matches an allowed IP.\n');
  });

  it('bpf egress list: the same rows on every node; only the gateway fills in the egress IP', () => {
    const worker = egressTwin(OSS, 'exec', 'kind-worker', '--', 'cilium-dbg', 'bpf', 'egress', 'list');
    expect(worker.stdout).toBe(
      'Source IP     Destination CIDR   Egress IP   Gateway IP\n' +
        '10.244.1.37   172.18.0.50/32     0.0.0.0     172.18.0.4\n' +
        '10.244.4.21   172.18.0.50/32     0.0.0.0     172.18.0.4\n',
    );
    const gw = egressTwin(OSS, 'exec', 'kind-worker2', '--', 'cilium-dbg', 'bpf', 'egress', 'list');
    expect(gw.stdout).toBe(
      'Source IP     Destination CIDR   Egress IP      Gateway IP\n' +
        '10.244.1.37   172.18.0.50/32     172.18.0.100   172.18.0.4\n' +
        '10.244.4.21   172.18.0.50/32     172.18.0.100   172.18.0.4\n',
    );
  });

  it('the gateway down: the next matching node by name becomes the gateway but holds no egress IP: drop 204', () => {
    const r = egressTwin([...OSS, 'worker2-down.yaml'], 'trace', '--from', 'tiefighter', '--to', '172.18.0.50:8000');
    expect(r.stdout).toContain('No Egress IP configured');
    expect(curl([...OSS, 'worker2-down.yaml'], 'tiefighter').exitCode).toBe(28);
    const list = egressTwin([...OSS, 'worker2-down.yaml'], 'exec', 'kind-worker3', '--', 'cilium-dbg', 'bpf', 'egress', 'list');
    expect(list.stdout).toContain('10.244.1.37   172.18.0.50/32     0.0.0.0     172.18.0.5');
  });

  it('both gateways gone: Not Found, drop 194, and a validate warning', () => {
    const v = [...OSS, 'worker2-down.yaml', 'worker3-cordoned.yaml'];
    const list = egressTwin(v, 'exec', 'kind-worker', '--', 'cilium-dbg', 'bpf', 'egress', 'list');
    expect(list.stdout).toContain('172.18.0.50/32     0.0.0.0     Not Found');
    const t = egressTwin(v, 'trace', '--from', 'tiefighter', '--to', '172.18.0.50:8000');
    expect(t.stdout).toContain('No egress gateway found');
    expect(egressTwin(v, 'validate').stdout).toContain('every node matching egressGateway.nodeSelector is not ready or cordoned');
  });

  it('the egress gateway refused without BPF masquerading (Cilium\'s message)', () => {
    const r = egressTwin(OSS, '--set', 'bpf.masquerade=false', 'validate');
    expect(r.stdout).toContain('egress gateway requires --enable-ipv4-masquerade="true" and --enable-bpf-masquerade="true"');
    const l = egressTwin(OSS, '--set', 'bpf.masquerade=false', 'exec', 'kind-worker', '--', 'cilium-dbg', 'bpf', 'egress', 'list');
    expect(l.stderr).toBe('Cannot find egress gateway bpf maps\n');
  });
});

describe('egress-gateway lab: NAT entries and JSON', () => {
  it('bpf nat list: the gateway holds the egress SNAT, the client node the masquerading', () => {
    const flows = ['--trace', 'tiefighter', '172.18.0.50:8000', '--trace', 'xwing', '172.18.0.50:8000'];
    expect(egressTwin(OSS, 'exec', 'kind-worker2', '--', 'cilium-dbg', 'bpf', 'nat', 'list', ...flows).stdout).toBe(
      'TCP OUT 10.244.1.37:40000 -> 172.18.0.50:8000 XLATE_SRC 172.18.0.100:40000 Created=0sec ago HostLocal=0\n' +
        'TCP IN 172.18.0.50:8000 -> 172.18.0.100:40000 XLATE_DST 10.244.1.37:40000 Created=0sec ago HostLocal=0\n',
    );
    expect(egressTwin(OSS, 'exec', 'kind-worker', '--', 'cilium-dbg', 'bpf', 'nat', 'list', ...flows).stdout).toBe(
      'TCP OUT 10.244.1.52:40000 -> 172.18.0.50:8000 XLATE_SRC 172.18.0.3:40000 Created=0sec ago HostLocal=0\n' +
        'TCP IN 172.18.0.50:8000 -> 172.18.0.3:40000 XLATE_DST 10.244.1.52:40000 Created=0sec ago HostLocal=0\n',
    );
    expect(egressTwin(OSS, 'exec', 'kind-worker', '--', 'cilium-dbg', 'bpf', 'nat', 'list').stdout).toBe('');
  });

  it('bpf egress list -o json has the real field names; an empty map says so on stderr', () => {
    const r = egressTwin(OSS, 'exec', 'kind-worker2', '--', 'cilium-dbg', 'bpf', 'egress', 'list', '-o', 'json');
    expect(JSON.parse(r.stdout)[0]).toEqual({ SourceIP: '10.244.1.37', DestCIDR: '172.18.0.50/32', EgressIP: '172.18.0.100', GatewayIP: '172.18.0.4' });
    const empty = egressTwin([], 'exec', 'kind-worker2', '--', 'cilium-dbg', 'bpf', 'egress', 'list');
    expect(empty.stderr).toBe('No entries found.\n');
    expect(empty.exitCode).toBe(0);
  });
});

describe('egress-gateway lab: IsovalentEgressGatewayPolicy (HA, two zones)', () => {
  const HA = ['ha.yaml'];
  it('each zone leaves through its own gateway with the egress IP the operator allocated', () => {
    expect(curl(HA, 'tiefighter').stdout).toBe('Access granted. Your source IP (172.18.0.200) matches an allowed IP.\n');
    expect(curl(HA, 'tiefighter-west').stdout).toBe('Access granted. Your source IP (172.18.0.201) matches an allowed IP.\n');
    expect(curl(HA, 'xwing').stdout).toBe("Access denied. Your source IP (172.18.0.3) doesn't match the allowed IPs.\n");
  });

  it('the status the operator writes', () => {
    const r = egressTwin(HA, 'kubectl', 'get', 'iegp', 'egress-ha', '-o', 'yaml');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('activeGatewayIPs:\n    - 172.18.0.4\n    - 172.18.0.5\n');
    expect(r.stdout).toContain('egressIPByGatewayIP:\n      172.18.0.4: 172.18.0.200\n      172.18.0.5: 172.18.0.201\n');
    expect(r.stdout).toContain('message: allocation requests satisfied');
  });

  it('a gateway down: the east pod fails over to the west gateway (localOnlyFirst)', () => {
    const v = [...HA, 'worker2-down.yaml'];
    expect(curl(v, 'tiefighter').stdout).toBe('Access granted. Your source IP (172.18.0.200) matches an allowed IP.\n');
    const r = egressTwin(v, 'kubectl', 'get', 'iegp', 'egress-ha', '-o', 'yaml');
    expect(r.stdout).toContain('healthyGatewayIPs:\n    - 172.18.0.5\n');
  });
});
